#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where a service's database is: the one setting that picks the backend.
///
/// A service reads `DATABASE_URL` and opens its store through this type, so the choice of
/// backend is made in one place:
/// ```swift
/// let location = try DatabaseLocation(databaseURL: env["DATABASE_URL"],
///                                     defaultSQLitePath: dataDir + "/gateway.sqlite")
/// let db = try await location.open(schema: "gateway", migrations: Schema.migrations)
/// ```
/// - unset or empty: SQLite at the service's default path (the embedded default);
/// - `sqlite:PATH`: SQLite at `PATH`;
/// - `postgres://…` or `postgresql://…` (libpq's URL form: user, password, host, port,
///   database, `?sslmode=…&host=/unix/socket/dir`): PostgreSQL, the service's tables in its
///   own schema, so all services may share one database.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// A SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL database, by libpq URL.
    case postgres(url: String)

    /// Parses a `DATABASE_URL` value; throws `.invalidConfiguration` for any other scheme.
    public init(databaseURL: String?, defaultSQLitePath: String) throws {
        let value = (databaseURL ?? "").trimmingCharacters(in: .whitespaces)
        if value.isEmpty {
            self = .sqlite(path: defaultSQLitePath)
        } else if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
            self = .postgres(url: value)
        } else if value.hasPrefix("sqlite:") {
            let path = String(value.dropFirst("sqlite:".count))
            guard !path.isEmpty else {
                throw StorageError(kind: .invalidConfiguration, message: "DATABASE_URL 'sqlite:' names no file (sqlite:/path/to/file.sqlite)")
            }
            self = .sqlite(path: path)
        } else {
            throw StorageError(kind: .invalidConfiguration,
                               message: "DATABASE_URL must be postgres://… or postgresql://… (or sqlite:PATH), got '\(Self.redacted(value))'")
        }
    }

    /// The SQL dialect of this location.
    public var dialect: SQLDialect {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// Opens the database and applies the pending `migrations` (the script of its dialect).
    /// `schema` names the service's PostgreSQL schema (ignored by SQLite, whose file is the
    /// service's own).
    public func open(schema: String, migrations: [Migration], sqliteOptions: SQLiteOptions = SQLiteOptions(),
                     postgresOptions: PostgresOptions = PostgresOptions()) async throws -> any SQLDatabase {
        switch self {
        case .sqlite(let path):
            return try await SQLiteDatabase(path: path, options: sqliteOptions, migrations: migrations)
        case .postgres(let url):
            return try await PostgresDatabase(url: url, schema: schema, options: postgresOptions, migrations: migrations)
        }
    }

    /// The location with any password hidden (for logs and `--help`).
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): Self.redacted(url)
        }
    }

    /// `url` with the password of its user-info part replaced by `***`, and any
    /// `password=` query parameter hidden likewise.
    public static func redacted(_ url: String) -> String {
        var text = url
        if let scheme = text.range(of: "://") {
            let rest = text[scheme.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                text.replaceSubrange(text.index(after: colon)..<at, with: "***")
            }
        }
        if let range = text.range(of: "password=") {
            let end = text[range.upperBound...].firstIndex(where: { $0 == "&" || $0 == " " }) ?? text.endIndex
            text.replaceSubrange(range.upperBound..<end, with: "***")
        }
        return text
    }
}
