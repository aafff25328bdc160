import Foundation
import Storage

/// A fresh, empty PostgreSQL database (`t_<random>`) on the server of `TEST_DATABASE_URL`,
/// for tests that run service binaries: a binary keeps its tables in its own fixed schema,
/// so two tests (or two replicas of one test) are kept apart by the database, not the
/// schema. Give `url` as the binaries' `DATABASE_URL`; `remove()` drops it (after the
/// binaries have stopped). Throws `TestDatabaseUnavailable` without `TEST_DATABASE_URL`.
public struct TestPostgresDatabase: Sendable {
    /// The database's name.
    public let name: String
    /// A libpq URL of it: `TEST_DATABASE_URL` with its database name replaced.
    public let url: String
    private let serverURL: String

    /// Creates the database.
    public init() throws {
        serverURL = try TestDatabaseLocation.serverURL()
        name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        url = try Self.url(serverURL, database: name)
        let connection = try PostgresConnection(url: serverURL)
        defer { connection.close() }
        try connection.execute("CREATE DATABASE \(name)")
    }

    /// `url` naming database `database` instead of its own (the path after the authority).
    static func url(_ url: String, database: String) throws -> String {
        guard let scheme = url.range(of: "://") else {
            throw StorageError(kind: .invalidConfiguration, message: "TEST_DATABASE_URL is not a postgres:// URL")
        }
        let rest = url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let pathEnd = rest[authorityEnd...].firstIndex(of: "?") ?? rest.endIndex
        return String(url[..<authorityEnd]) + "/" + database + String(rest[pathEnd...])
    }

    /// Drops the database (its sessions ended first).
    public func remove() {
        guard let connection = try? PostgresConnection(url: serverURL) else { return }
        defer { connection.close() }
        try? connection.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}
