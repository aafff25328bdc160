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
        let series: RouteSeries
        if let entry = request.entry {
            // The matched route keeps its own series: a short scan, no hashing.
            if let s = entry.series.withLock({ list in list.first { $0.status == status && $0.method == method }?.series }) {
                series = s
            } else {
                series = cache.series(method: method, route: entry.pattern, status: status)
                entry.series.withLock { list in
                    if !list.contains(where: { $0.status == status && $0.method == method }) { list.append((method, status, series)) }
                }
            }
        } else {
            series = cache.series(method: method, route: "", status: status)
        }
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
    typealias Series = RouteSeries
    let metrics: Metrics
    private let cache = Mutex<[Key: Series]>([:])

    init(metrics: Metrics) { self.metrics = metrics }

    func series(method: String, route: String, status: Int) -> Series {
        let key = Key(method: method, route: route, status: status)
        if let s = cache.withLock({ $0[key] }) { return s }
        let r = route.isEmpty ? "unmatched" : route
        let s = Series(
            requests: metrics.counter("http_requests_total", help: "HTTP requests served",
                                      labels: [("method", method), ("route", r), ("status", String(status))]),
            duration: metrics.histogram("http_request_duration_seconds", help: "Time to produce the response head",
                                        labels: [("route", r)]))
        cache.withLock { $0[key] = s }
        return s
    }
}
