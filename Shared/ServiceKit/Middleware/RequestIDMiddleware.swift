import Contracts
import Foundation
import HTTPCore
import Synchronization

/// Keeps a valid client `X-Request-Id` (1–128 of `[A-Za-z0-9._-]`) or makes a new one,
/// and echoes it on the response.
public struct RequestIDMiddleware: Middleware {
    public init() {}

    public func handle(_ request: Request, next: Next) async throws -> HTTPResponse {
        var r = request
        if let given = request.headers[requestIDHeader], RequestIDMiddleware.isValid(given) {
            r.requestID = given
        } else {
            r.requestID = RequestIDMiddleware.generate()
        }
        var response = try await next(r)
        response.headers.set(requestIDHeader, r.requestID)
        return response
    }

    /// Whether a client-sent id may be kept.
    public static func isValid(_ s: String) -> Bool {
        let u = s.utf8
        return !u.isEmpty && u.count <= 128 && u.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x2E || c == 0x5F
        }
    }

    /// A new id: 64 random bits chosen at start-up and a 64-bit counter, hex (32 chars).
    /// Unique per process without a system call per request; ids are not secrets.
    public static func generate() -> String {
        let n = counter.add(1, ordering: .relaxed).newValue
        return prefix + hex(n)
    }

    private static let prefix: String = {
        var g = SystemRandomNumberGenerator()
        return hex(g.next() as UInt64)
    }()
    private static let counter = Atomic<UInt64>(0)

    private static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
