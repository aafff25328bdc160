// The peers' three routes (shared/peers/) on our stack, for deploy/bench/http.sh.
import Foundation
import HTTPCore
import ServiceKit

struct EchoIn: Decodable, Sendable { let text: String }
struct EchoOut: Encodable, Sendable { let text: String; let length: Int }
struct Item: Codable, Sendable { let id: Int; let name: String; let price: Double; let tags: [String]; let active: Bool }
struct Catalog: Encodable, Sendable {
    let service: String; let version: String; let generatedAt: String; let count: Int; let items: [Item]
}

let catalog: Catalog = {
    let items = (0..<10).map { i in
        Item(id: i, name: "item-\(i)-lorem-ipsum", price: Double(i) * 1.25 + 0.99, tags: ["alpha", "beta", "gamma"], active: i % 2 == 0)
    }
    return Catalog(service: "perf-anchor", version: "1.0.0", generatedAt: "2025-01-01T00:00:00Z", count: items.count, items: items)
}()

/// The benchmark server as a service: the three routes, no internal token.
enum BenchServer: Service {
    static let name = "bench-server"
    static let defaultPort = 18080
    static let settings: [Setting] = []
    static func options(_ config: Config) throws {}
    static func make(_ options: Void, context: ServiceContext) async throws -> ServiceDefinition {
        let router = Router()
        router.get("/ping") { _ in .text("pong") }
        router.post("/echo") { req in
            let input = try await req.decodeJSON(EchoIn.self)
            return .json(EchoOut(text: input.text, length: input.text.count))
        }
        router.get("/json") { _ in .json(catalog) }
        var definition = ServiceDefinition(router: router, envelope: .detail)
        definition.requireInternalToken = false
        return definition
    }
}

await ServiceMain.run(BenchServer.self)
