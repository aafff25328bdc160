import Foundation
import Storage

extension Config {
    /// `DATABASE_URL` as a `DatabaseLocation`: empty, SQLite at `DATA_DIR/<sqliteFile>` (the
    /// embedded default); `postgres://…`/`postgresql://…`, PostgreSQL; `sqlite:PATH`, that
    /// file. Any other value stops the start naming the setting (its password hidden).
    /// The settings themselves are listed by `Config.database(schema:)`.
    public func databaseLocation(sqliteFile: String) throws -> DatabaseLocation {
        let raw = try string("DATABASE_URL")
        do {
            return try DatabaseLocation(databaseURL: raw, defaultSQLitePath: try dataDirectory().appendingPathComponent(sqliteFile).path)
        } catch let error as StorageError where error.kind == .invalidConfiguration {
            throw ConfigError.malformed(setting: "DATABASE_URL", value: DatabaseLocation.redacted(raw),
                                        expected: "empty (SQLite in DATA_DIR), postgres://… or postgresql://…, or sqlite:PATH")
        }
    }

    /// `DATABASE_POOL_SIZE`: the PostgreSQL connections of one replica (1–1000).
    public func databasePoolSize() throws -> Int {
        try integer("DATABASE_POOL_SIZE", in: 1...1_000)
    }
}
