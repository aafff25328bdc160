import HTTPCore

extension UpstreamError {
    /// What an HTTP client failure means for the caller: an overloaded client (no pooled
    /// connection within `UPSTREAM_POOL_WAIT_MS`, or no descriptor left; the request was
    /// never sent) is `.saturated` (503 + `Retry-After`), a timeout a timeout (504),
    /// anything else unreachable (502). The one place client errors are mapped.
    init(_ error: HTTPClientError) {
        if error.isOverload {
            self = .saturated(error.description)
        } else if error.isTimeout {
            self = .timeout(error.description)
        } else {
            self = .unreachable(error.description)
        }
    }
}
