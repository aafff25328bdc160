import Foundation
import HTTPCore
import JSON
@testable import Predictor
import ServiceKit
import Testing
import TestSupport

/// `/openapi.json` against the handlers: the router's routes are exactly the documented
/// operations, the document is served without identity, and a real answer has the keys
/// its schema names.
@Suite("predictor OpenAPI")
struct PredictorOpenAPITests {
    @Test func documentIsTheRouter() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pred-openapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let options = PredictorService.Options(corpusDirectory: dir, dataDirectory: dir.appendingPathComponent("data"))
        let (definition, _) = try await PredictorService.instance(options, logger: Logger(service: "predictor-test", level: .error), metrics: Metrics())
        let app = Application(testing: definition)
        #expect(OpenAPIRouteCheck.mismatches(router: definition.router, document: PredictorOpenAPI.document.json) == [])
        let served = await app.call(.GET, "/openapi.json")  // no identity: public
        #expect(served.status == 200)
        let document = try JSONParser().parse(served.body)
        #expect(document == PredictorOpenAPI.document.json)
        #expect(document.object?["openapi"] == .string("3.1.0"))
        // The response schema names the keys the contract encodes.
        let schemas = try #require(document.object?["components"]?.object?["schemas"]?.object)
        let predict = try #require(schemas["PredictResponse"]?.object?["properties"]?.object)
        #expect(predict.keys == ["predictions"])
        let request = try #require(schemas["PredictRequest"]?.object)
        #expect(request["properties"]?.object?.keys == ["current_file", "n", "model", "language"])
        #expect(request["required"] == .array([]))
        #expect(schemas["CodeDescriptionError"]?.object?["required"] == .array([.string("code"), .string("description")]))
    }
}
