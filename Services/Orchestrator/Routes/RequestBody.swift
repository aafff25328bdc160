import JSON
import ServiceKit

/// How request bodies become contract values, with the original's messages: a body that
/// is not a JSON object → 400 `request body must be a JSON object`; a missing or ill-typed
/// key → 400 `wrong key in posted data` (unless the route maps it otherwise).
enum RequestBody {
    /// The strict parser, a repeated key keeping its last value (as the original's Flask did).
    static let parser = JSONParser(options: JSONParserOptions(duplicateKeys: .keepLast))

    /// The body as a JSON object.
    static func object(_ req: Request) async throws -> JSONObject {
        let bytes = try await req.body()
        guard let value = try? parser.parse(bytes), case .object(let object) = value else { throw Failure.notAnObject }
        return object
    }

    /// The body decoded into `type`; `failure` names the error of a decoding failure.
    static func decode<T: Decodable>(_ type: T.Type, _ req: Request,
                                     failure: (DecodingError) -> ServiceError = { _ in Failure.wrongKey }) async throws -> T {
        try decode(type, from: try await object(req), failure: failure)
    }

    /// An already-parsed body decoded into `type`.
    static func decode<T: Decodable>(_ type: T.Type, from object: JSONObject,
                                     failure: (DecodingError) -> ServiceError = { _ in Failure.wrongKey }) throws -> T {
        do {
            return try StrictJSONDecoder().decode(type, from: .object(object))
        } catch let error as DecodingError {
            throw failure(error)
        } catch {
            throw Failure.wrongKey
        }
    }

    /// `value` when it is a non-empty string; `wrong key in posted data` otherwise.
    static func required(_ value: String) throws -> String {
        guard !value.isEmpty else { throw Failure.wrongKey }
        return value
    }
}

extension DecodingError {
    /// The body key the failure is about (the first key of its coding path), if any.
    var topLevelKey: String? {
        let path: [any CodingKey]
        switch self {
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        @unknown default: return nil
        }
        return path.first?.stringValue
    }
}
