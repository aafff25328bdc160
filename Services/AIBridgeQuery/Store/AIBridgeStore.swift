import Foundation
import Storage
import Synchronization

/// What aibridge-query keeps, over a `SQLDatabase`: SQLite (`DATA_DIR/aibridge.sqlite`) or,
/// with `DATABASE_URL=postgres://…`, PostgreSQL schema `aibridge_query` (any number of
/// replicas recording and answering on one database). The bridge records through it
/// (`InterceptionRecorder`), the query API reads through it. Every write is one write
/// transaction, durable when it returns (SQLite: WAL, `synchronous` NORMAL survives a
/// killed process, FULL also a power loss; PostgreSQL: SERIALIZABLE, so two replicas
/// finishing calls of one session both land, one retried); every read is one read
/// transaction (one snapshot: a page and its `count` agree). The SQL is in `Queries`, the
/// tables in `Schema`.
public final class AIBridgeStore: Sendable {
    /// The database.
    public let db: any SQLDatabase
    /// Reader connections already configured.
    private let configuredReaders = Mutex<Set<ObjectIdentifier>>([])

    /// A store over an open, migrated database.
    public init(db: any SQLDatabase) {
        self.db = db
    }

    /// The database file's name under DATA_DIR.
    public static let fileName = "aibridge.sqlite"

    /// The PostgreSQL schema holding the store's tables.
    public static let postgresSchema = "aibridge_query"

    /// Opens (creating and migrating) `aibridge.sqlite` in `directory`.
    public static func open(directory: URL, options: SQLiteOptions = SQLiteOptions()) async throws -> AIBridgeStore {
        try await open(.sqlite(path: directory.appendingPathComponent(fileName).path), sqliteOptions: options)
    }

    /// Opens (and migrates) the store at `location`: SQLite (its directory created, its
    /// connections tuned for a large file) or PostgreSQL with `poolSize` connections in
    /// `schema` (tests use one of their own).
    public static func open(_ location: DatabaseLocation, sqliteOptions: SQLiteOptions = SQLiteOptions(), poolSize: Int = 4,
                            schema: String = postgresSchema) async throws -> AIBridgeStore {
        if case .sqlite(let path) = location {
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
        }
        let db = try await location.open(schema: schema, migrations: Schema.migrations, sqliteOptions: sqliteOptions,
                                         postgresOptions: PostgresOptions(poolSize: poolSize, applicationName: "aibridge-query"))
        if let sqlite = db as? SQLiteDatabase {
            try await sqlite.withWriterConnection { conn in
                try conn.execute("PRAGMA cache_size=\(Self.cachePages); PRAGMA mmap_size=\(Self.mmapBytes); PRAGMA wal_autocheckpoint=\(Self.walCheckpointPages); PRAGMA analysis_limit=400; PRAGMA optimize=0x10002")
            }
        }
        return AIBridgeStore(db: db)
    }

    /// Page cache per connection (negative: KiB).
    static let cachePages = -65_536
    /// Memory-mapped I/O per connection, bytes.
    static let mmapBytes = 1 << 30
    /// WAL size (pages) that triggers a checkpoint.
    static let walCheckpointPages = 16_384

    /// A read transaction; configures each pooled SQLite reader connection once (page
    /// cache, memory map; PostgreSQL's connections need nothing).
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await db.read { [self] conn in
            let id = ObjectIdentifier(conn)
            if conn.dialect == .sqlite, self.configuredReaders.withLock({ $0.insert(id).inserted }) {
                try conn.execute("PRAGMA cache_size=\(Self.cachePages); PRAGMA mmap_size=\(Self.mmapBytes)")
            }
            return try body(conn)
        }
    }

    /// A write transaction.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await db.write(body)
    }

    /// Refreshes the query planner's statistics (after a bulk load).
    public func analyze() async throws {
        try await db.write { conn in try conn.execute("ANALYZE") }
    }

    /// Closes the database.
    public func close() async {
        await db.close()
    }
}
