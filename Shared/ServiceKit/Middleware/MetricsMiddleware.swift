import HTTPCore
import Synchronization

/// Counts requests by method, route pattern and status, and observes their duration.
/// Series handles are resolved once per (method, route, status) and cached. A method
/// outside the standard ones is counted as `other`: every label value is a series kept
/// for the life of the process, so clients must not be able to make new ones.
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
        let method = MetricsMiddleware.label(request.method), status = response.status.code
        // A matched route keeps its own series; the shared cache makes them (and serves
        // unmatched requests).
        let series = request.entry.map { entry in
            entry.series(method: method, status: status) { cache.series(method: method, route: entry.pattern, status: status) }
        } ?? cache.series(method: method, route: "", status: status)
        series.requests.add()
        series.duration.observe(seconds)
    }

    /// The `method` label of a request: the method's name when it is one of RFC 9110's
    /// (and PATCH), else `other`.
    @inline(__always)
    static func label(_ method: HTTPMethod) -> String {
        let name = method.rawValue
        switch name.utf8.count {
        case 3: if name == "GET" || name == "PUT" { return name }
        case 4: if name == "POST" || name == "HEAD" { return name }
        case 5: if name == "PATCH" || name == "TRACE" { return name }
        case 6: if name == "DELETE" { return name }
        case 7: if name == "OPTIONS" || name == "CONNECT" { return name }
        default: break
        }
        return "other"
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
