import Contracts
import Crypto
import Foundation
import HTTPCore

/// Trusts identity headers only with the right internal token (constant-time check).
/// Without it, identity headers are ignored, and paths outside `publicPaths` are
/// refused with 401: a service is reached through the gateway, not directly.
public struct InternalIdentityMiddleware: Middleware {
    let token: [UInt8]
    let publicPrefixes: [String]
    let requireToken: Bool

    /// - Parameters:
    ///   - token: the shared secret; requests must present it in `X-Internal-Token`.
    ///   - publicPaths: paths (exact, or prefixes ending in `/`) open without the token.
    ///   - requireToken: false for the gateway itself, which authenticates clients.
    public init(token: String, publicPaths: [String], requireToken: Bool = true) {
        self.token = Array(token.utf8)
        self.publicPrefixes = publicPaths
        self.requireToken = requireToken
    }

    public func handle(_ request: Request, next: Next) async throws -> HTTPResponse {
        try await next(admitting(request))
    }

    /// `request` admitted (a copy; see `admit`).
    func admitting(_ request: Request) throws -> Request {
        var r = request
        try admit(&r)
        return r
    }

    /// The request as the rest of the chain sees it (identity set only when vouched
    /// for), or 401 when the token is required and missing.
    func admit(_ r: inout Request) throws {
        r.identity = nil
        let headers = r.headers
        if let given = headers[IdentityHeaders.internalToken], matchesToken(given) {
            if let uid = headers[IdentityHeaders.userID], !uid.isEmpty {
                r.identity = Identity(userID: uid, name: headers[IdentityHeaders.userName] ?? uid,
                                      roles: InternalIdentityMiddleware.roles(headers[IdentityHeaders.roles] ?? ""))
            }
            return
        }
        if !requireToken || isPublic(r.path) { return }
        throw ServiceError.unauthorized("missing or invalid internal token: call this service through the gateway")
    }

    /// Whether `given` is the token (constant time, no copy of the header value; an empty
    /// token matches nothing).
    private func matchesToken(_ given: String) -> Bool {
        var given = given
        return !token.isEmpty && given.withUTF8 { header in
            token.withUnsafeBytes { ConstantTime.equals(UnsafeRawBufferPointer(header), $0) }
        }
    }

    /// `a, b` → `["a", "b"]` (one role, the usual case, without splitting).
    static func roles(_ text: String) -> [String] {
        if !text.utf8.contains(UInt8(ascii: ",")) {
            let t = text.trimmedOfSpaces
            return t.isEmpty ? [] : [t]
        }
        return text.split(separator: ",").map { String($0.trimmingSpaces) }.filter { !$0.isEmpty }
    }

    func isPublic(_ path: String) -> Bool {
        publicPrefixes.contains { p in p.hasSuffix("/") ? path.hasPrefix(p) : path == p }
    }
}
