import ServiceKit

/// Reads a route's JSON body: 400 for a body that is not JSON or misses a field, 422 for
/// a field of the wrong type (FastAPI's split, as the original answered), 413 past the limit.
enum BodyDecoding {
    /// The body as `T`.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        let bytes = try await request.body(limit: limit)
        if bytes.isEmpty { throw ServiceError.badRequest("request body is empty; expected a JSON object") }
        do {
            return try JSON.decode(type, from: bytes)
        } catch let error as DecodingError {
            if case .typeMismatch = error { throw ServiceError.unprocessable(JSON.describe(error)) }
            throw ServiceError.badRequest(JSON.describe(error))
        } catch {
            throw ServiceError.badRequest(JSON.describe(error))
        }
    }

    /// `value` when present and not blank, else 400 with `message`.
    static func required(_ value: String?, _ message: String) throws -> String {
        guard let value, !value.allSatisfy(\.isWhitespace) else { throw ServiceError.badRequest(message) }
        return value
    }
}
