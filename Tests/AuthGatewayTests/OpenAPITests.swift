@testable import AuthGateway
import Foundation
import HTTPCore
import JSON
import ServiceKit
import Synchronization
import Testing
import TestSupport

/// The gateway's documentation: its own `/openapi.json` against its router, `/docs`
/// listing every service's document, and each service's document fetched through the
/// transport and rewritten to the paths the gateway exposes, all without credentials.
@Suite("gateway OpenAPI and /docs")
struct GatewayOpenAPITests {
    @Test func ownDocumentIsTheRouter() async throws {
        let t = try await TestGateway.make(transport: DocumentTransport())
        let router = t.app.router
        let proxied = Set(Gateway.proxiedMethods.map { "\($0) /**" })  // each service's document lists those paths
        #expect(OpenAPIRouteCheck.mismatches(router: router, document: GatewayOpenAPI.document.json, ignoring: proxied) == [])
        for path in ["/openapi.json", "/openapi/auth-gateway.json"] {
            let served = await t.app.call(.GET, path)  // no credentials
            #expect(served.status == 200, "\(path)")
            #expect(try JSONParser().parse(served.body) == GatewayOpenAPI.document.json)
        }
        let schemes = GatewayOpenAPI.document.json.object?["components"]?.object?["securitySchemes"]?.object
        #expect(schemes?.keys == ["apiKey"])
        await t.close()
    }

    @Test func docsPageListsEveryDocument() async throws {
        let t = try await TestGateway.make(transport: DocumentTransport())
        let page = await t.app.call(.GET, "/docs")
        #expect(page.status == 200)
        #expect(page.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(page.text.contains("https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"))
        for service in ["auth-gateway", "predictor", "task-manager", "aibridge-query", "orchestrator", "code-runner"] {
            #expect(page.text.contains(#"{"name":"\#(service)","url":"/openapi/\#(service).json"}"#), "\(service)")
        }
        await t.close()
    }

    @Test func serviceDocumentsAreTheGatewaysPaths() async throws {
        let transport = DocumentTransport()
        let t = try await TestGateway.make(transport: transport)
        func document(_ service: String) async throws -> JSONObject {
            let answer = await t.app.call(.GET, "/openapi/\(service).json")  // no credentials
            #expect(answer.status == 200, "\(service): \(answer.text)")
            return try #require(try JSONParser().parse(answer.body).object)
        }
        // Stripped prefix: every path is reachable under /orchestrator.
        let orchestrator = try await document("orchestrator")
        #expect(orchestrator["servers"]?.array?.first?.object?["url"] == .string("/orchestrator"))
        #expect(orchestrator["paths"]?.object?.keys == ["/problem", "/health"])
        #expect(orchestrator["paths"]?.object?["/problem"]?.object?["get"]?.object?["security"] == nil)
        #expect(orchestrator["security"]?.array?.count == 1)
        // Kept prefixes: only the paths the table sends to the service.
        let tasks = try await document("task-manager")
        #expect(tasks["servers"]?.array?.first?.object?["url"] == .string("/"))
        #expect(tasks["paths"]?.object?.keys == ["/api/tasks", "/ws"])
        let predictor = try await document("predictor")
        #expect(predictor["paths"]?.object?.keys == ["/predict", "/mass_upload"])
        let asked = transport.targets
        #expect(asked.contains("orchestrator /openapi.json") && asked.contains("task-manager /openapi.json"))
        // A service that cannot be reached: 502 in the gateway's envelope.
        transport.failure = .unreachable("down")
        let down = await t.app.call(.GET, "/openapi/code-runner.json")
        #expect(down.status == 502)
        #expect(down.code == 502)
        await t.close()
    }
}

/// An upstream per service whose `/openapi.json` lists some paths the gateway exposes and
/// some it does not (`/health`, `/openapi.json` of a service without a stripped prefix).
final class DocumentTransport: UpstreamTransport, @unchecked Sendable {
    private let state = Mutex<(targets: [String], failure: UpstreamError?)>(([], nil))
    var targets: [String] { state.withLock { $0.targets } }
    var failure: UpstreamError? {
        get { state.withLock { $0.failure } }
        set { state.withLock { $0.failure = newValue } }
    }

    static let paths = [
        "orchestrator": ["/problem", "/health"],
        "task-manager": ["/api/tasks", "/ws", "/health", "/openapi.json"],
        "predictor": ["/predict", "/mass_upload", "/health", "/openapi.json"],
    ]

    func send(_ request: UpstreamRequest, to upstream: Upstream) async throws -> UpstreamResponse {
        let failure = state.withLock { s -> UpstreamError? in s.targets.append("\(upstream.name) \(request.target)"); return s.failure }
        if let failure { throw failure }
        var paths = JSONObject()
        for path in Self.paths[upstream.name] ?? [] {
            paths[path] = .object(["get": .object(["security": .array([]), "responses": .object(["200": .object(["description": .string("OK")])])])])
        }
        let body = JSONValue.object(["openapi": .string("3.1.0"), "info": .object(["title": .string(upstream.name), "version": .string("1")]),
                                     "paths": .object(paths)]).serialized
        return UpstreamResponse(status: .ok, headers: ["Content-Type": "application/json", "Content-Length": String(body.count)],
                                body: .bytes(body))
    }
    func shutdown() async {}
    func classify(_ error: any Error) -> UpstreamError { .unreachable("\(error)") }
}
