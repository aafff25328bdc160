import Contracts
import Foundation
import HTTPCore

/// What a handler gets: the HTTP request plus what ServiceKit learned about it
/// (path parameters, request id, the caller's identity). Passed explicitly.
///
/// A value with its fields in one copy-on-write box: a request is handed through the
/// middleware chain and captured by completions several times per request, and each
/// copy is then one reference count instead of one per field.
public struct Request: Sendable {
    private final class Storage: @unchecked Sendable {  // mutated only when uniquely referenced
        var http: HTTPRequest
        var pathParameters = PathParameters()
        var requestID = ""
        var identity: Identity?
        let startedAt: ContinuousClock.Instant
        var entry: RouteEntry?

        init(http: HTTPRequest, startedAt: ContinuousClock.Instant) {
            self.http = http
            self.startedAt = startedAt
        }

        func copy() -> Storage {
            let c = Storage(http: http, startedAt: startedAt)
            c.pathParameters = pathParameters
            c.requestID = requestID
            c.identity = identity
            c.entry = entry
            return c
        }
    }
    private var storage: Storage

    private mutating func unique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// The raw request.
    public var http: HTTPRequest {
        get { storage.http }
        _modify { unique(); yield &storage.http }
    }
    /// Path parameters by name (`/tasks/{id}` → `id`), percent-decoded; what a `**`
    /// matched is under `**`.
    public var parameters: [String: String] {
        get { storage.pathParameters.all }
        set { pathParameters = PathParameters(named: newValue, rest: nil) }
    }
    /// The router's match (built into a dictionary only when asked for).
    var pathParameters: PathParameters {
        get { storage.pathParameters }
        _modify { unique(); yield &storage.pathParameters }
    }
    /// The request id (from `X-Request-Id` when valid, else new).
    public var requestID: String {
        get { storage.requestID }
        _modify { unique(); yield &storage.requestID }
    }
    /// The caller, when the gateway vouched for it with the internal token.
    public var identity: Identity? {
        get { storage.identity }
        _modify { unique(); yield &storage.identity }
    }
    /// When the request was received (monotonic).
    public var startedAt: ContinuousClock.Instant { storage.startedAt }
    /// The matched route pattern, for logs and metrics (`/tasks/{id}`); empty when none.
    public var route: String { storage.entry?.pattern ?? "" }
    /// The route the router matched (set before the middleware chain runs).
    var entry: RouteEntry? {
        get { storage.entry }
        _modify { unique(); yield &storage.entry }
    }

    /// A request around `http`, received now.
    public init(http: HTTPRequest) {
        storage = Storage(http: http, startedAt: .now)
    }

    /// The method.
    public var method: HTTPMethod { http.method }
    /// The path (not decoded).
    public var path: String { http.path }
    /// The headers.
    public var headers: HTTPHeaders { http.headers }

    /// A path parameter; throws 400 if absent (a routing mistake).
    public func parameter(_ name: String) throws -> String {
        guard let v = pathParameters[name] else { throw ServiceError.badRequest("missing path parameter '\(name)'") }
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
        } catch {
            throw ServiceError.bodyRead(error, limit: limit)
        }
    }

    /// Decodes a JSON body into `T` through the strict parser and `StrictJSONDecoder`
    /// (`JSON.decode`); 400 naming the failing field or the byte where the body stops being
    /// JSON, 413 past `limit` (the parser itself sets no byte limit).
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

    /// The one role check of every service (through `RoleCheck`): the caller's identity,
    /// or 401 without one (with `WWW-Authenticate: <challenge>` when given, e.g.
    /// `Basic realm="morpheo"`) and 403 without one of `roles` (any role when empty).
    @discardableResult
    public func require(roles: [String] = [], challenge: String? = nil) throws -> Identity {
        guard let identity else {
            var error = ServiceError.unauthorized("authentication required")
            if let challenge { error.headers.set("WWW-Authenticate", challenge) }
            throw error
        }
        if let refusal = RoleCheck.refusal(requiring: roles, held: identity.roles) { throw refusal }
        return identity
    }
}

extension ServiceError {
    /// The answer to a failure while reading a request body: 413 past `limit`, the parser's
    /// status for a framing error, 400 for a body cut short; any other error as it is.
    static func bodyRead(_ error: any Error, limit: Int) -> any Error {
        switch error {
        case is BodyTooLargeError: ServiceError.tooLarge("request body exceeds \(limit) bytes")
        case let e as HTTPParseError: ServiceError(HTTPStatus(e.status), e.reason)
        case is ConnectionClosedError: ServiceError.badRequest("request body incomplete")
        default: error
        }
    }
}
