import HTTPCore

/// Counts requests by method, route pattern and status, and observes their duration.
public struct MetricsMiddleware: Middleware {
    let metrics: Metrics

    public init(metrics: Metrics) { self.metrics = metrics }

    public func handle(_ request: Request, next: Next) async throws -> HTTPResponse {
        let response = try await next(request)
        let d = ContinuousClock.now - request.startedAt
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        let route = request.route.isEmpty ? "unmatched" : request.route
        metrics.increment("http_requests_total", help: "HTTP requests served",
                          labels: [("method", request.method.rawValue), ("route", route), ("status", String(response.status.code))])
        metrics.observe("http_request_duration_seconds", help: "Time to produce the response head",
                        labels: [("route", route)], seconds)
        return response
    }
}
