import Contracts
import Foundation
import HTTPCore
import ServiceKit

extension Application {
    /// An application from a service definition, as ServiceMain would make it (tests).
    public convenience init(testing definition: ServiceDefinition, name: String = "test", internalToken: String = "test-internal-token",
                            logger: Logger = Logger(service: "test", level: .error), metrics: Metrics = Metrics()) {
        self.init(name: name, definition: definition, internalToken: internalToken, logger: logger, metrics: metrics)
    }

    /// Calls the application in-process, as the gateway would for `identity`
    /// (internal token and identity headers added when an identity is given).
    public func call(_ method: HTTPMethod, _ target: String, identity: Identity? = nil, internalToken: String = "test-internal-token",
                     headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) async -> TestResponse {
        var h = headers
        if let identity {
            h.set(IdentityHeaders.internalToken, internalToken)
            h.set(IdentityHeaders.userID, identity.userID)
            h.set(IdentityHeaders.userName, identity.name)
            h.set(IdentityHeaders.roles, identity.roles.joined(separator: ","))
        }
        let response = await respond(to: HTTPRequest(method: method, target: target, headers: h, body: .bytes(body)))
        var bytes: [UInt8] = []
        switch response.body {
        case .bytes(let b): bytes = b
        case .stream(let s):
            let sink = CollectingSink()
            try? await s(ResponseBodyWriter(sink))
            bytes = await sink.bytes
        }
        return TestResponse(status: response.status.code, headers: response.headers, body: bytes)
    }

    /// `GET /metrics` as an operator would read it through the gateway (internal token
    /// and an `admin` identity); the body as text.
    public func operatorMetrics() async -> String {
        await call(.GET, "/metrics", identity: .testOperator).text
    }

    /// `call` with a JSON body.
    public func call<T: Encodable>(_ method: HTTPMethod, _ target: String, identity: Identity? = nil, json: T) async -> TestResponse {
        await call(method, target, identity: identity, headers: ["Content-Type": "application/json"], body: JSON.encodeOrEmpty(json))
    }
}

extension Identity {
    /// An operator (role `admin`): may read `/metrics` (tests).
    public static let testOperator = Identity(userID: "operator", name: "operator", roles: ["admin"])
}

/// A response as a test sees it.
public struct TestResponse: Sendable {
    /// The status code.
    public let status: Int
    /// The response's header fields.
    public let headers: HTTPHeaders
    /// The whole body.
    public let body: [UInt8]

    /// A response received some other way (e.g. over a live socket).
    public init(status: Int, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
    /// The body decoded as JSON.
    public func json<T: Decodable>(_ type: T.Type) throws -> T { try JSON.decode(type, from: body) }
    /// The body as a JSON object (`[String: Any]`), or nil.
    public var object: [String: any Sendable]? {
        guard let o = try? JSONSerializationBridge.object(body) else { return nil }
        return o
    }
}

/// Collects a streamed body (tests).
actor CollectingSink: BodySink {
    var bytes: [UInt8] = []
    func write(_ b: [UInt8]) async throws { bytes.append(contentsOf: b) }
}

/// `[String: Any]` from JSON bytes, through Foundation (tests only).
enum JSONSerializationBridge {
    static func object(_ b: [UInt8]) throws -> [String: any Sendable]? {
        try JSONSerialization.jsonObject(with: Data(b)) as? [String: any Sendable]
    }
}

extension ServiceDefinition {
    /// Starts the definition's background work as `ServiceMain` does and waits (at most
    /// `timeout`) until the service says it is ready; stop it with `stop()`.
    public func startBackground(logger: Logger = Logger(service: "test", level: .error),
                                readyWithin timeout: Duration = .seconds(300)) async -> BackgroundWork {
        let work = BackgroundWork(background, logger: logger)
        _ = await readiness.waitUntilReady(timeout: timeout)
        return work
    }
}
