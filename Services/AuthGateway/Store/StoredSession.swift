import Foundation
import Storage

/// A live session as stored: its digest, whose it is and until when.
public struct StoredSession: Sendable, Equatable {
    /// The SHA-256 of the session id, hex.
    public var hash: String
    /// Whose session it is.
    public var principal: Principal
    /// When it ends.
    public var expiresAt: Date

    /// A session record.
    public init(hash: String, principal: Principal, expiresAt: Date) {
        self.hash = hash
        self.principal = principal
        self.expiresAt = expiresAt
    }

    /// Reads a row of `Queries.liveSessionByHash`: hash, principal (four columns), expiry.
    init(row: Row) throws {
        hash = try row.get(0)
        principal = try Principal(row: row, startingAt: 1)
        expiresAt = try row.get(5)
    }
}
