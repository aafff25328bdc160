import Contracts
import ServiceKit

/// Which analysis session a request is about, and that it is the caller's: the body's
/// `session_id`, else the `X-Session-ID` header, else `?session_id=`, else the caller's
/// default session. An id nobody has used yet becomes the caller's; another user's is a
/// 404, as if it did not exist.
struct SessionResolver: Sendable {
    /// Who owns which session.
    let store: CodeRunnerStore

    /// Longest session id accepted.
    static let maxIDLength = 128

    /// The session id, checked and claimed for the caller.
    func resolve(_ request: Request, identity: Identity, bodySessionID: String? = nil) async throws -> String {
        let given = [bodySessionID, request.headers["X-Session-ID"], request.query("session_id")]
            .compactMap { $0 }.first { !$0.isEmpty }
        let session: String
        if let given {
            guard Self.isValid(given) else {
                throw ServiceError.badRequest("session_id must be 1 to \(Self.maxIDLength) characters among A-Z a-z 0-9 . _ : -")
            }
            session = given
        } else {
            session = Self.defaultSession(user: identity.userID)
        }
        guard try await store.claim(session: session, user: identity.userID) else {
            throw ServiceError.notFound("session not found")
        }
        return session
    }

    /// The caller's default session: `~` cannot appear in a client's id, so no one else can
    /// claim it first.
    static func defaultSession(user: String) -> String { "~" + user }

    /// 1 to 128 of `A-Z a-z 0-9 . _ : -`.
    static func isValid(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard (1...maxIDLength).contains(bytes.count) else { return false }
        return bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                || byte == 0x2e || byte == 0x5f || byte == 0x3a || byte == 0x2d
        }
    }
}
