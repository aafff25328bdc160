import Contracts
import HTTPCore
import JSON
import ServiceKit

extension Gateway {
    /// The largest service document the gateway reads.
    static let maxDocumentBytes = 4 * 1024 * 1024

    /// `GET /docs`, `/openapi.json` and `/openapi/<service>.json` for every service, all
    /// without credentials: the gateway's own document from memory, each other service's
    /// fetched from its `/openapi.json` through the proxy transport (no identity, no
    /// internal token: the services serve it openly) and rewritten to the paths the
    /// gateway exposes (`GatewayOpenAPI.throughGateway`).
    func registerDocumentRoutes(on router: Router) {
        let page = HTTPResponse(status: .ok, contentType: "text/html; charset=utf-8",
                                body: Array(GatewayDocsPage.html(services: GatewayOpenAPI.services).utf8))
        router.get("/docs") { _ in page }
        for path in GatewayOpenAPI.document.servedAt {
            router.get(path) { _ in .rawJSON(GatewayOpenAPI.bytes) }
        }
        for service in GatewayOpenAPI.services.dropFirst() {
            router.get(GatewayOpenAPI.documentPath(service)) { [self] request in try await serviceDocument(service, request: request) }
        }
    }

    /// The paths of those routes (public: no credentials).
    static var documentPaths: [String] {
        ["/docs"] + GatewayOpenAPI.document.servedAt + GatewayOpenAPI.services.dropFirst().map(GatewayOpenAPI.documentPath)
    }

    /// `service`'s document as the gateway exposes it; 502/504 when the service cannot give it.
    func serviceDocument(_ service: String, request: Request) async throws -> HTTPResponse {
        guard let upstream = upstreams.first(where: { $0.name == service }) else {
            throw ServiceError.notFound("no service \(service)")
        }
        var lines = HeaderLines()
        try? lines.add(requestIDHeader, request.requestID)
        let bytes: [UInt8]
        let status: Int
        do {
            let response = try await transport.send(UpstreamRequest(method: .GET, target: "/openapi.json", lines: lines, body: .empty),
                                                    to: upstream)
            status = response.status.code
            bytes = try await response.body.collect(upTo: Gateway.maxDocumentBytes)
        } catch let error as UpstreamError {
            throw upstreamFailure(error, upstream: upstream, requestID: request.requestID)
        } catch {
            throw upstreamFailure(transport.classify(error), upstream: upstream, requestID: request.requestID)
        }
        guard status == 200, let document = try? JSONParser().parse(bytes), document.object != nil else {
            throw ServiceError(.badGateway, "\(service) did not answer its OpenAPI document (status \(status))")
        }
        return .rawJSON(GatewayOpenAPI.throughGateway(document, service: service, table: table).serialized)
    }
}
