import Foundation
import HTTPCore
import ServiceKit

/// `GET /openapi.json`: the service's OpenAPI 3.1 document, shipped beside the binary
/// (`OpenAPI/openapi.json`, a resource; `OpenAPITests` checks it names every route and
/// every field of the contract types).
enum OpenAPIDocument {
    /// The document's bytes (read once).
    static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "OpenAPI")
                ?? Optional(Bundle.module.bundleURL.appendingPathComponent("OpenAPI/openapi.json")),
              let data = try? Data(contentsOf: url) else { return Array("{}".utf8) }
        return Array(data)
    }()

    /// The response.
    static var response: HTTPResponse { .rawJSON(bytes) }
}
