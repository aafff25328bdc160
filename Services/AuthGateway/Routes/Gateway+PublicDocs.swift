import Contracts
import HTTPCore
import ServiceKit

extension Gateway {
    /// task-manager's API documentation, reachable through the gateway without credentials
    /// (FastAPI serves its docs openly): Swagger UI, ReDoc and the OpenAPI document.
    static let publicDocsPaths = ["/api/docs", "/api/redoc", "/api/openapi.json"]

    /// Forwards a `GET`/`HEAD` of a documentation page to its upstream without
    /// authentication: no identity and no internal token go up (the service serves these
    /// paths to anyone), client credentials are dropped as on every route, and the answer
    /// is relayed as the proxy relays any.
    func forwardPublicDocs(_ request: Request, reply: @escaping Reply) {
        guard let (route, upstreamPath) = table.match(request.path) else {
            reply(.failure(ServiceError.notFound("no route for \(request.method) \(request.path)")))
            return
        }
        let upstream = route.upstream, requestID = request.requestID, method = request.method
        var lines = HeaderLines(capacity: 256)
        do {
            try ForwardedHeaders.forEachKept(request.headers, dropping: ForwardedHeaders.dropFromRequests) { (name, value) throws(HTTPClientError) in
                try lines.add(name, value)
            }
            try lines.add(requestIDHeader, requestID)
        } catch {
            reply(.failure(upstreamFailure(.unreachable(error.description), upstream: upstream, requestID: requestID)))
            return
        }
        var target = upstreamPath
        if let query = request.http.query { target += "?" + query }
        transport.start(UpstreamRequest(method: method, target: target, lines: lines, body: .empty), to: upstream) { [self] result in
            switch result {
            case .failure(let error): reply(.failure(upstreamFailure(error, upstream: upstream, requestID: requestID)))
            case .success(let response): relay(response, method: method, requestID: requestID, from: upstream, holding: nil, reply: reply)
            }
        }
    }
}
