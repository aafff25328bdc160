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
        RequestIDMiddleware.assign(&r)
        var response = try await next(r)
        response.headers.set(requestIDHeader, r.requestID)
        return response
    }

    /// Sets the request's id: the client's when valid, else a new one.
    static func assign(_ r: inout Request) {
        if let given = r.headers[requestIDHeader], RequestIDMiddleware.isValid(given) {
            r.requestID = given
        } else {
            r.requestID = RequestIDMiddleware.generate()
        }
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
        let p = prefixValue
        return String(unsafeUninitializedCapacity: 32) { out in
            hex(p, into: out, at: 0)
            hex(n, into: out, at: 16)
            return 32
        }
    }

    private static let prefixValue: UInt64 = {
        var g = SystemRandomNumberGenerator()
        return g.next() as UInt64
    }()
    private static let counter = Atomic<UInt64>(0)

    private static func hex(_ v: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { out in
            hex(v, into: out, at: 0)
            return 16
        }
    }

    /// Writes `v` as 16 lowercase hex digits at `out[at...]`.
    @inline(__always)
    private static func hex(_ v: UInt64, into out: UnsafeMutableBufferPointer<UInt8>, at: Int) {
        for i in 0..<16 {
            let d = UInt8(truncatingIfNeeded: (v >> (UInt64(15 - i) * 4)) & 0xF)
            out[at + i] = d < 10 ? 0x30 + d : 0x57 + d
        }
    }
}
