import HTTPCore
import Synchronization

/// Counts requests by method, route pattern and status, and observes their duration.
/// Series handles are resolved once per (method, route, status) and cached.
public struct MetricsMiddleware: Middleware {
    let metrics: Metrics
    private let cache: SeriesCache

    public init(metrics: Metrics) {
        self.metrics = metrics
        cache = SeriesCache(metrics: metrics)
    }

    public func handle(_ request: Request, next: Next) async throws -> HTTPResponse {
        let response = try await next(request)
        record(request, response)
        return response
    }

    /// Counts one answered request and observes its duration.
    func record(_ request: Request, _ response: HTTPResponse) {
        let d = ContinuousClock.now - request.startedAt
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        let method = request.method.rawValue, status = response.status.code
        // A matched route keeps its own series; the shared cache makes them (and serves
        // unmatched requests).
        let series = request.entry.map { entry in
            entry.series(method: method, status: status) { cache.series(method: method, route: entry.pattern, status: status) }
        } ?? cache.series(method: method, route: "", status: status)
        series.requests.add()
        series.duration.observe(seconds)
    }
}

/// The request counter and duration histogram of each (method, route, status).
final class SeriesCache: Sendable {
    struct Key: Hashable {
        let method: String
        let route: String
        let status: Int
    }
    let metrics: Metrics
    private let cache = Mutex<[Key: RouteSeries]>([:])

    init(metrics: Metrics) { self.metrics = metrics }

    func series(method: String, route: String, status: Int) -> RouteSeries {
        let key = Key(method: method, route: route, status: status)
        if let s = cache.withLock({ $0[key] }) { return s }
        let r = route.isEmpty ? "unmatched" : route
        let s = RouteSeries(
            requests: metrics.counter("http_requests_total", help: "HTTP requests served",
                                      labels: [("method", method), ("route", r), ("status", String(status))]),
            duration: metrics.histogram("http_request_duration_seconds", help: "Time to produce the response head",
                                        labels: [("route", r)]))
        cache.withLock { $0[key] = s }
        return s
    }
}
