import JSON
import ServiceKit

/// Request bodies into contract types, FastAPI's way: a body that is not JSON is a 400; JSON
/// of the wrong shape (a missing field, a wrong type, an unknown status) is a 422 naming the
/// field; past `MAX_BODY_BYTES`, a 413.
enum RequestDecoding {
    /// The body as `T`.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let bytes = try await request.body()
        if bytes.isEmpty { throw ServiceError.unprocessable("request body is empty; expected a JSON object") }
        let value: JSONValue
        do {
            value = try JSONParser().parse(bytes)
        } catch {
            throw ServiceError.badRequest("request body is not valid JSON: \(error)")
        }
        guard case .object = value else { throw ServiceError.unprocessable("request body must be a JSON object") }
        do {
            return try JSON.decode(T.self, from: bytes)
        } catch {
            throw ServiceError.unprocessable(JSON.describe(error))
        }
    }
}
