import Foundation
import ServiceKit
import Storage
import Synchronization

/// All of the orchestrator's state and rules, over a `SQLDatabase` (SQLite in
/// `DATA_DIR/orchestrator.sqlite`, or with `DATABASE_URL=postgres://…` PostgreSQL schema
/// `orchestrator`, shared by every replica), answering contract values (`OrchestratorAPI`).
/// Every state change is one write transaction; new work for compute is written to the
/// outbox in that same transaction (when pushing is on). The SQL is in `Queries`. What is
/// kept in memory stays right when other replicas write: chunk lists are immutable once
/// committed, and cached chunk plans are keyed by a version read from the database.
public final class OrchestratorStore: Sendable {
    /// The database.
    public let db: any SQLDatabase
    /// Whether new ready uplets are queued for compute.
    let pushEnabled: Bool
    /// Unix seconds now.
    let clock: @Sendable () -> Int
    /// Group commit of worker claims.
    let claims: ClaimBatcher
    /// The most learnuplets one request may create.
    let budget: LearnupletBudget

    /// - Parameters:
    ///   - pushEnabled: queue new ready learnuplets and new preduplets in the outbox.
    ///   - budget: the most learnuplets one `POST /data` or `POST /algo` may create.
    public init(db: any SQLDatabase, pushEnabled: Bool, budget: LearnupletBudget = .unlimited,
                clock: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970) }) {
        self.db = db
        self.pushEnabled = pushEnabled
        self.budget = budget
        self.clock = clock
        claims = ClaimBatcher(db: db)
    }

    /// The PostgreSQL schema holding the orchestrator's tables.
    public static let postgresSchema = "orchestrator"

    /// Opens (creating and migrating) the database at `location`: SQLite (tuned for big
    /// learnuplet batches), or PostgreSQL with `poolSize` connections in `schema` (tests
    /// use one of their own).
    public static func open(_ location: DatabaseLocation, poolSize: Int = 4, schema: String = postgresSchema,
                            pushEnabled: Bool, budget: LearnupletBudget = .unlimited,
                            sqliteOptions: SQLiteOptions = SQLiteOptions()) async throws -> OrchestratorStore {
        let db = try await location.open(schema: schema, migrations: Schema.migrations, sqliteOptions: sqliteOptions,
                                         postgresOptions: PostgresOptions(poolSize: poolSize, applicationName: "orchestrator"))
        if let sqlite = db as? SQLiteDatabase {
            // SQLiteOptions has no page-cache or mmap setting: the writer's are set here, the
            // readers' on first use (see `read`). Stale planner statistics are refreshed.
            try await sqlite.withWriterConnection { conn in
                try conn.execute("PRAGMA cache_size=\(Self.cachePages); PRAGMA mmap_size=\(Self.mmapBytes); PRAGMA wal_autocheckpoint=\(Self.walCheckpointPages); PRAGMA analysis_limit=400; PRAGMA optimize=0x10002")
            }
        }
        return OrchestratorStore(db: db, pushEnabled: pushEnabled, budget: budget)
    }

    /// Page cache per connection (negative: KiB).
    static let cachePages = -65_536
    /// WAL size (pages) that triggers a checkpoint: fewer, larger checkpoints (each one
    /// syncs the database file) keep big learnuplet batches from paying one sync each.
    static let walCheckpointPages = 16_384
    /// Memory-mapped I/O per connection, bytes.
    static let mmapBytes = 1 << 30
    /// Per problem: the chunks of its train ids at a `train_version` (every algo posted
    /// for a problem is cut into the same chunks). Only filled after a commit, and only
    /// used when the problem's `train_version` read in the using transaction matches: a
    /// replica that added data to the problem bumped that version in the database.
    let chunkCache = Mutex<[String: (version: Int, chunks: [Int64])]>([:])
    /// The train data ids of chunks already read (see `ChunkListCache`).
    let chunkLists = ChunkListCache()
    /// Reader connections already configured.
    private let configuredReaders = Mutex<Set<ObjectIdentifier>>([])

    /// A read transaction; configures each pooled reader connection once (`Queries.readerSetup`).
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await db.read { [self] conn in
            let id = ObjectIdentifier(conn)
            if self.configuredReaders.withLock({ $0.insert(id).inserted }) {
                try conn.execute(Queries.readerSetup)
            }
            return try body(conn)
        }
    }

    /// A write transaction; a unique-key violation becomes 409 `already exists`.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        do {
            return try await db.write(body)
        } catch let e as StorageError where e.isUniqueViolation {
            throw Failure.alreadyExists
        }
    }
}
