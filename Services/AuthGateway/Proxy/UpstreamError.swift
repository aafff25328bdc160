/// Why an upstream exchange failed.
public enum UpstreamError: Error, Equatable {
    /// Connection refused, reset, bad response... (502).
    case unreachable(String)
    /// Connect or read timeout (504).
    case timeout(String)
}
