import Foundation
import Storage

extension AIBridgeStore {
    /// Remembers that user `id` goes by `name` (the identity headers of a request), so
    /// `initiator:<name>` finds them and answers name them.
    public func rememberUser(id: String, name: String, at date: Date = Date()) async throws {
        try await write { conn in try conn.run(Queries.rememberUser, id, name, date.microsecondsSince1970) }
    }

    /// The id of the user who most recently went by `name`, if the service has seen one.
    public func userID(named name: String) async throws -> String? {
        try await read { conn in try conn.queryOne(Queries.userByName, name)?.get(0) }
    }

    /// Whether `id` is a user the service has seen (by identity or as an initiator).
    public func isKnownUser(id: String) async throws -> Bool {
        try await read { conn in try conn.queryOne(Queries.userByID, id, id) != nil }
    }
}
