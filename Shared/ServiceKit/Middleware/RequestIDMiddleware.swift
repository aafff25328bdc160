import Contracts
import Crypto
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

    /// A new id: 15 characters of lowercase base32hex, 25 random bits chosen at start-up
    /// then a 50-bit counter. Unique per process without a system call per request; ids
    /// are not secrets. Fifteen bytes is Swift's small-string size: the id is never
    /// allocated or reference-counted as it travels through headers, logs and upstreams.
    public static func generate() -> String {
        let n = counter.add(1, ordering: .relaxed).newValue & ((1 << 50) - 1)
        let p = prefixValue
        return String(unsafeUninitializedCapacity: 15) { out in
            base32(p, digits: 5, into: out, at: 0)
            base32(n, digits: 10, into: out, at: 5)
            return 15
        }
    }

    private static let prefixValue: UInt64 = SecureRandom.uint64() & ((1 << 25) - 1)
    private static let counter = Atomic<UInt64>(0)

    /// Writes the low `digits * 5` bits of `v` as base32hex digits at `out[at...]`.
    @inline(__always)
    private static func base32(_ v: UInt64, digits: Int, into out: UnsafeMutableBufferPointer<UInt8>, at: Int) {
        for i in 0..<digits {
            let d = UInt8(truncatingIfNeeded: (v >> (UInt64(digits - 1 - i) * 5)) & 0x1F)
            out[at + i] = d < 10 ? 0x30 + d : 0x57 + d
        }
    }
}
