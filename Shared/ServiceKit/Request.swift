import Contracts
import Foundation
import HTTPCore

/// What a handler gets: the HTTP request plus what ServiceKit learned about it
/// (path parameters, request id, the caller's identity). Passed explicitly.
public struct Request: Sendable {
    /// The raw request.
    public var http: HTTPRequest
    /// Path parameters by name (`/tasks/{id}` → `id`), percent-decoded.
    public var parameters: [String: String] = [:]
    /// The request id (from `X-Request-Id` when valid, else new).
    public var requestID: String = ""
    /// The caller, when the gateway vouched for it with the internal token.
    public var identity: Identity?
    /// When the request was received (monotonic).
    public let startedAt: ContinuousClock.Instant
    /// The matched route pattern, for logs and metrics (`/tasks/{id}`).
    public var route: String = ""
    /// The handler the router matched (set before the middleware chain runs).
    var matched: Handler?
    /// Its completion-style form, when the route has one.
    var matchedCallback: CallbackHandler?

    public init(http: HTTPRequest) {
        self.http = http
        startedAt = .now
    }

    /// The method.
    public var method: HTTPMethod { http.method }
    /// The path (not decoded).
    public var path: String { http.path }
    /// The headers.
    public var headers: HTTPHeaders { http.headers }

    /// A path parameter; throws 400 if absent (a routing mistake).
    public func parameter(_ name: String) throws -> String {
        guard let v = parameters[name] else { throw ServiceError.badRequest("missing path parameter '\(name)'") }
        return v
    }

    /// The query items, decoded (`+` as space), in order.
    public var queryItems: [(String, String)] { FormCoding.parse(http.query ?? "") }

    /// The first value of a query parameter.
    public func query(_ name: String) -> String? { queryItems.first { $0.0 == name }?.1 }

    /// The body, read whole; 413 past `limit`.
    public func body(limit: Int = 16 * 1024 * 1024) async throws -> [UInt8] {
        do {
            return try await http.body.collect(upTo: limit)
        } catch is BodyTooLargeError {
            throw ServiceError.tooLarge("request body exceeds \(limit) bytes")
        } catch let e as HTTPParseError {
            throw ServiceError(HTTPStatus(e.status), e.reason)
        } catch is ConnectionClosedError {
            throw ServiceError.badRequest("request body incomplete")
        }
    }

    /// Decodes a JSON body into `T`; 400 with the failing field, 413 past `limit`.
    public func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int = 16 * 1024 * 1024) async throws -> T {
        let bytes = try await body(limit: limit)
        if bytes.isEmpty { throw ServiceError.badRequest("request body is empty; expected a JSON object") }
        do {
            return try JSON.decode(type, from: bytes)
        } catch {
            throw ServiceError.badRequest(JSON.describe(error))
        }
    }

    /// Decodes an `application/x-www-form-urlencoded` body into `T`.
    public func decodeForm<T: Decodable>(_ type: T.Type, limit: Int = 16 * 1024 * 1024) async throws -> T {
        let bytes = try await body(limit: limit)
        return try FormCoding.decode(type, from: FormCoding.parse(String(decoding: bytes, as: UTF8.self)))
    }

    /// Decodes the query string into `T`; 400 naming the failing parameter.
    public func decodeQuery<T: Decodable>(_ type: T.Type) throws -> T {
        try FormCoding.decode(type, from: queryItems)
    }

    /// Throws 401/403 unless the caller has one of `roles` (any role when empty).
    @discardableResult
    public func require(roles: [String] = []) throws -> Identity {
        guard let id = identity else { throw ServiceError.unauthorized("authentication required") }
        if !roles.isEmpty && !id.hasAny(roles) {
            throw ServiceError.forbidden("requires role: \(roles.joined(separator: " or "))")
        }
        return id
    }
}
