import HTTPCore

/// The responder of a service's metrics listener (`METRICS_PORT`): `GET /metrics` (and
/// HEAD) answers the Prometheus text, any other path 404 and any other method 405. It
/// checks no credentials: whoever can reach `METRICS_HOST:METRICS_PORT` is an operator,
/// so that address belongs on a network only the scraper reaches.
public struct MetricsResponder: HTTPResponder {
    let metrics: Metrics

    /// A responder for `metrics`.
    public init(metrics: Metrics) { self.metrics = metrics }

    public func respond(to request: HTTPRequest, replyingTo sink: ResponseSink) {
        guard request.path == "/metrics" else {
            sink.send(HTTPResponse(status: .notFound, contentType: "text/plain; charset=utf-8", body: Array("only /metrics is served here\n".utf8)))
            return
        }
        guard request.method == .GET || request.method == .HEAD else {
            sink.send(HTTPResponse(status: .methodNotAllowed, headers: ["Allow": "GET, HEAD"]))
            return
        }
        sink.send(MetricsResponder.exposition(metrics))
    }

    /// The Prometheus text exposition of `metrics` as a response.
    static func exposition(_ metrics: Metrics) -> HTTPResponse {
        HTTPResponse(status: .ok, contentType: "text/plain; version=0.0.4", body: Array(metrics.render().utf8))
    }
}
