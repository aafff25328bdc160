import HTTPCore

extension UpstreamError {
    /// What an HTTP client failure means for the caller: a timeout is a timeout (504),
    /// anything else unreachable (502). The one place client errors are mapped.
    ///
    /// MAPPING POINT (issue 10, finding 3): when HTTPCore's client gains its typed
    /// "no pooled connection within the wait deadline" error (hard-core's work), map that
    /// case to `.saturated` here (503 + `Retry-After` in the gateway's envelope); until
    /// then the client waits for a connection without a deadline and nothing maps to it.
    init(_ error: HTTPClientError) {
        self = error.isTimeout ? .timeout(error.description) : .unreachable(error.description)
    }
}
