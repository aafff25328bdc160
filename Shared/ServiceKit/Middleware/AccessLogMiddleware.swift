import HTTPCore

/// One JSON line per request: method, path (no query: it may carry secrets), status,
/// duration, response size.
public struct AccessLogMiddleware: Middleware {
    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    public func handle(_ request: Request, next: Next) async throws -> HTTPResponse {
        let response = try await next(request)
        record(request, response)
        return response
    }

    /// Logs one answered request.
    func record(_ request: Request, _ response: HTTPResponse) {
        if logger.level <= .info {
            let d = ContinuousClock.now - request.startedAt
            let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
            var size = 0
            if case .bytes(let b) = response.body { size = b.count }
            logger.info("request", requestID: request.requestID, [
                ("method", request.method.rawValue), ("path", request.path), ("status", response.status.code),
                ("duration_ms", (ms * 1000).rounded() / 1000), ("bytes", size), ("remote", request.http.remoteAddress),
            ])
        }
    }
}
