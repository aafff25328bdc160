/// Why an upstream exchange failed.
public enum UpstreamError: Error, Equatable {
    /// Connection refused, reset, bad response... (502).
    case unreachable(String)
    /// Connect or read timeout (504).
    case timeout(String)
    /// No pooled connection to the upstream came free within the client's wait deadline
    /// (503 with `Retry-After`): the upstream is busy, not down.
    case saturated(String)
}
