import Foundation
import ServiceKit
import Storage
import Synchronization

/// All of the orchestrator's state and rules, over a `SQLDatabase`, answering contract
/// values (`OrchestratorAPI`). Every state change is one write transaction; new work for
/// compute is written to the outbox in that same transaction (when pushing is on). The SQL
/// is in `Queries`.
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

    /// Opens (creating and migrating) the database file in `directory`.
    public static func open(directory: URL, pushEnabled: Bool, budget: LearnupletBudget = .unlimited,
                            options: SQLiteOptions = SQLiteOptions()) async throws -> OrchestratorStore {
        let path = directory.appendingPathComponent("orchestrator.sqlite").path
        let db = try await SQLiteDatabase(path: path, options: options, migrations: Schema.migrations)
        // SQLiteOptions has no page-cache or mmap setting: the writer's are set here, the
        // readers' on first use (see `read`). Stale planner statistics are refreshed.
        try await db.withWriterConnection { conn in
            try conn.execute("PRAGMA cache_size=\(Self.cachePages); PRAGMA mmap_size=\(Self.mmapBytes); PRAGMA wal_autocheckpoint=\(Self.walCheckpointPages); PRAGMA analysis_limit=400; PRAGMA optimize=0x10002")
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
    /// for a problem is cut into the same chunks). Only filled after a commit.
    let chunkCache = Mutex<[String: (version: Int, chunks: [Int64])]>([:])
    /// The train data ids of chunks already read (see `ChunkListCache`).
    let chunkLists = ChunkListCache()
    /// Reader connections already configured.
    private let configuredReaders = Mutex<Set<ObjectIdentifier>>([])

    /// A read transaction; configures each pooled reader connection once.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await db.read { [self] conn in
            let id = ObjectIdentifier(conn)
            if self.configuredReaders.withLock({ $0.insert(id).inserted }) {
                try conn.execute("PRAGMA cache_size=\(Self.cachePages); PRAGMA mmap_size=\(Self.mmapBytes)")
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
