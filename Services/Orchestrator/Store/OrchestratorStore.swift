import Foundation
import JSON
import ServiceKit
import Storage
import Synchronization

/// All of the orchestrator's state and rules, over a `SQLDatabase`. Every state change is
/// one write transaction; new work for compute is written to the outbox in that same
/// transaction (when pushing is on).
public final class OrchestratorStore: Sendable {
    /// The database.
    public let db: any SQLDatabase
    /// Whether new ready uplets are queued for compute.
    let pushEnabled: Bool
    /// Unix seconds now.
    let clock: @Sendable () -> Int
    /// Group commit of worker claims.
    let claims: ClaimBatcher

    /// - Parameters:
    ///   - pushEnabled: queue new ready learnuplets and new preduplets in the outbox.
    public init(db: any SQLDatabase, pushEnabled: Bool, clock: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970) }) {
        self.db = db
        self.pushEnabled = pushEnabled
        self.clock = clock
        claims = ClaimBatcher(db: db)
    }

    /// Opens (creating and migrating) the database file in `directory`.
    public static func open(directory: URL, pushEnabled: Bool, options: SQLiteOptions = SQLiteOptions()) async throws -> OrchestratorStore {
        let path = directory.appendingPathComponent("orchestrator.sqlite").path
        let db = try await SQLiteDatabase(path: path, options: options, migrations: Schema.migrations)
        // SQLiteOptions has no page-cache or mmap setting: the writer's are set here, the
        // readers' on first use (see `read`). Stale planner statistics are refreshed.
        try await db.withWriterConnection { conn in
            try conn.execute("PRAGMA cache_size=\(Self.cachePages); PRAGMA mmap_size=\(Self.mmapBytes); PRAGMA wal_autocheckpoint=\(Self.walCheckpointPages); PRAGMA analysis_limit=400; PRAGMA optimize=0x10002")
        }
        return OrchestratorStore(db: db, pushEnabled: pushEnabled)
    }

    /// A random (version 4) UUID, lower-case (Foundation's opens /dev/urandom each time).
    static func newUUID() -> String {
        var g = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 16)
        let a: UInt64 = g.next(), b: UInt64 = g.next()
        for k in 0..<8 {
            bytes[k] = UInt8(truncatingIfNeeded: a >> (8 * k))
            bytes[8 + k] = UInt8(truncatingIfNeeded: b >> (8 * k))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(36)
        for (k, v) in bytes.enumerated() {
            if k == 4 || k == 6 || k == 8 || k == 10 { out.append(0x2D) }
            out.append(hex[Int(v >> 4)])
            out.append(hex[Int(v & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
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
    private let chunkCache = Mutex<[String: (version: Int, chunks: [Int64])]>([:])
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

    // MARK: - Reads

    /// `{"<listKey>": [docs]}` for a collection, filtered, in insertion order.
    func list(_ c: Collection, filters: [(String, String)]) async throws -> [UInt8] {
        guard let cond = c.condition(filters) else {
            return Array("{\"\(c.listKey)\":[]}".utf8)
        }
        let sql = "SELECT \(c.columns) FROM \(c.from) \(cond.sql) ORDER BY seq"
        let parameters = cond.parameters
        return try await read { conn in
            var w = JSONBuilder(capacity: 4096)
            w.raw("{\"\(c.listKey)\":[")
            var first = true
            try conn.forEach(sql, parameters: parameters) { row in
                if !first { w.bytes.append(0x2C) }
                first = false
                c.write(row: row, to: &w)
            }
            w.raw("]}")
            return w.bytes
        }
    }

    /// One document, or nil.
    func document(_ c: Collection, uuid: String) async throws -> [UInt8]? {
        try await read { conn in try Self.document(conn, c, uuid: uuid) }
    }

    static func document(_ conn: any SQLConnection, _ c: Collection, uuid: String) throws -> [UInt8]? {
        guard let row = try conn.queryOne("SELECT \(c.columns) FROM \(c.from) WHERE uuid = ?", uuid) else { return nil }
        var w = JSONBuilder()
        c.write(row: row, to: &w)
        return w.bytes
    }

    // MARK: - Problem

    /// Stores a problem; returns its document.
    func createProblem(uuid: String, workflow: String, testDataset: [String], size: Int) async throws -> [UInt8] {
        let now = clock()
        let testJSON = JSONBuilder.encode(strings: testDataset)
        return try await write { conn in
            try conn.run("INSERT INTO problem (uuid, workflow, test_dataset, size_train_dataset, timestamp_upload) VALUES (?, ?, ?, ?, ?)",
                         uuid, workflow, testJSON, size, now)
            for d in testDataset {
                try conn.run("INSERT OR IGNORE INTO problem_test_data (problem, data) VALUES (?, ?)", uuid, d)
            }
            return try Self.document(conn, .problem, uuid: uuid) ?? []
        }
    }

    // MARK: - Algo

    /// Stores an algo and cuts its problem's train data into learnuplets (rank 0 from the algo).
    func createAlgo(uuid: String, name: String, problem: String) async throws -> (doc: [UInt8], learnuplets: Int) {
        let now = clock()
        let push = pushEnabled
        let (doc, n, version, chunks) = try await write { [self] conn in
            var fresh: (Int, [Int64])
            if try conn.queryOne("SELECT 1 FROM algo WHERE uuid = ?", uuid) != nil { throw Failure.alreadyExists }
            guard let p = try ProblemInfo.load(conn, problem) else { throw Failure.noRelatedProblem }
            try conn.run("INSERT INTO algo (uuid, problem, name, timestamp_upload) VALUES (?, ?, ?, ?)", uuid, problem, name, now)
            var chunks: [Int64]
            if let hit = self.chunkCache.withLock({ $0[problem] }), hit.version == p.version {
                chunks = hit.chunks
            } else {
                var train: [String] = []
                try conn.forEach("""
                    SELECT dp.data FROM data_problem dp
                    WHERE dp.problem = ?
                      AND NOT EXISTS (SELECT 1 FROM problem_test_data t WHERE t.problem = dp.problem AND t.data = dp.data)
                    ORDER BY dp.timestamp_upload, dp.data
                    """, parameters: [problem]) { row in train.append(row.text(0)) }
                chunks = try Self.chunks(conn, train: train, size: p.size)
            }
            let n = try Self.cut(conn, problem: p, algo: uuid, chunks: chunks, rank: 0, startModel: uuid, now: now, push: push)
            fresh = (p.version, chunks)
            return (try Self.document(conn, .algo, uuid: uuid) ?? [], n, fresh.0, fresh.1)
        }
        chunkCache.withLock { $0[problem] = (version, chunks) }
        return (doc, n)
    }

    // MARK: - Data

    /// Stores data and continues every algo of each listed problem over the new train ids.
    func createData(uuids: [String], problems: [String]) async throws -> (docs: [UInt8], learnuplets: Int) {
        let now = clock()
        let push = pushEnabled
        var seen = Set<String>()
        let problems = problems.filter { seen.insert($0).inserted }
        guard Set(uuids).count == uuids.count else { throw Failure.alreadyExists }
        return try await write { conn in
            var infos: [ProblemInfo] = []
            for p in problems {
                guard let info = try ProblemInfo.load(conn, p) else { throw Failure.noRelatedProblem }
                infos.append(info)
            }
            let problemsJSON = JSONBuilder.encode(strings: problems)
            var docs = JSONBuilder(capacity: uuids.count * 80 + 2)
            docs.raw("[")
            for (i, d) in uuids.enumerated() {
                if i == 0 {
                    for p in problems { try conn.run("UPDATE problem SET train_version = train_version + 1 WHERE uuid = ?", p) }
                }
                try conn.run("INSERT INTO data (uuid, problems, timestamp_upload) VALUES (?, ?, ?)", d, problemsJSON, now)
                for p in problems {
                    try conn.run("INSERT INTO data_problem (problem, timestamp_upload, data) VALUES (?, ?, ?)", p, now, d)
                }
                if i > 0 { docs.raw(",") }
                docs.raw("{\"uuid\":"); docs.string(d)
                docs.raw(",\"problems\":"); docs.raw(problemsJSON)
                docs.raw(",\"timestamp_upload\":"); docs.int(now)
                docs.raw("}")
            }
            docs.raw("]")
            // Same upload time for all: ordered by uuid (bytewise, as SQLite orders text).
            let ordered = uuids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            var total = 0
            for p in infos {
                let train = ordered.filter { !p.testData.contains($0) }
                if train.isEmpty { continue }
                var algos: [String] = []
                try conn.forEach("SELECT uuid FROM algo WHERE problem = ? ORDER BY seq", parameters: [p.uuid]) { algos.append($0.text(0)) }
                if algos.isEmpty { continue }
                // Every algo of the problem is cut into the same chunks.
                let chunks = try Self.chunks(conn, train: train, size: p.size)
                for a in algos {
                    let (rank, model) = try Self.continuation(conn, algo: a)
                    total += try Self.cut(conn, problem: p, algo: a, chunks: chunks, rank: rank, startModel: model, now: now, push: push)
                }
            }
            return (docs.bytes, total)
        }
    }

    /// Where an algo's chain continues: after its highest rank, from its best model
    /// (highest perf among its done learnuplets, else the model_end of its highest rank);
    /// an algo with no learnuplets starts at rank 0 from its own uuid.
    static func continuation(_ conn: any SQLConnection, algo: String) throws -> (rank: Int, model: String) {
        guard let last = try conn.queryOne("SELECT rank, model_end FROM learnuplet WHERE algo = ? ORDER BY rank DESC LIMIT 1", algo) else {
            return (0, algo)
        }
        let next = (last.int(0) ?? 0) + 1
        if let best = try bestModel(conn, algo: algo) { return (next, best) }
        return (next, last.text(1))
    }

    /// The model_end of the algo's best-perf done learnuplet (ties: the earliest rank).
    static func bestModel(_ conn: any SQLConnection, algo: String) throws -> String? {
        try conn.queryOne("""
            SELECT model_end FROM learnuplet
            WHERE algo = ? AND status = 'done' AND perf IS NOT NULL
            ORDER BY perf DESC, rank ASC LIMIT 1
            """, algo)?.text(0)
    }

    /// Cuts ordered train ids into consecutive chunks of `size` ids (the last may be
    /// shorter) and returns their ids in `chunk`, reusing an identical stored chunk.
    static func chunks(_ conn: any SQLConnection, train: [String], size: Int) throws -> [Int64] {
        let size = max(1, size)
        var ids: [Int64] = []
        ids.reserveCapacity(train.count / size + 1)
        var start = 0
        while start < train.count {
            let end = min(start + size, train.count)
            let part = train[start..<end]
            let json = JSONBuilder.encode(strings: Array(part))
            let hash = Int64(bitPattern: fnv1a(json))
            var found: Int64?
            try conn.forEach("SELECT id, train_data FROM chunk WHERE hash = ?", parameters: [hash]) { row in
                if found == nil, row.text(1) == json, case .integer(let id) = row[0] { found = id }
            }
            if let found {
                ids.append(found)
            } else {
                try conn.run("INSERT INTO chunk (hash, train_data) VALUES (?, ?)", hash, json)
                let id = conn.lastInsertRowID
                for d in part { try conn.run("INSERT OR IGNORE INTO chunk_data (data, chunk) VALUES (?, ?)", d, id) }
                ids.append(id)
            }
            start = end
        }
        return ids
    }

    /// 64-bit FNV-1a of a string's UTF-8 bytes.
    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// Makes one learnuplet per chunk, ranks from `rank`; the first starts from
    /// `startModel`, the rest from null. Returns how many.
    static func cut(_ conn: any SQLConnection, problem: ProblemInfo, algo: String, chunks: [Int64], rank r0: Int,
                    startModel: String, now: Int, push: Bool) throws -> Int {
        for (k, chunk) in chunks.enumerated() {
            let uuid = newUUID()
            let model: String? = k == 0 ? startModel : nil
            try conn.run("""
                INSERT INTO learnuplet (uuid, problem, workflow, algo, model_start, model_end, chunk, test_data,
                                        status, rank, timestamp_creation)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'todo', ?, ?)
                """, parameters: [uuid, problem.uuid, problem.workflow, algo, model, newUUID(), chunk, problem.testJSON, r0 + k, now])
            if k == 0 && push { try enqueue(conn, path: "/learn", collection: .learnuplet, uuid: uuid) }
        }
        return chunks.count
    }

    // MARK: - Prediction

    /// Creates a todo preduplet with the problem's best model; returns its document.
    func requestPrediction(data: String, problem: String) async throws -> [UInt8] {
        let now = clock()
        let push = pushEnabled
        return try await write { conn in
            guard let p = try conn.queryOne("SELECT workflow FROM problem WHERE uuid = ?", problem),
                  let model = try conn.queryOne("""
                      SELECT model_end FROM learnuplet
                      WHERE problem = ? AND status = 'done' AND perf IS NOT NULL
                      ORDER BY perf DESC, seq ASC LIMIT 1
                      """, problem)?.text(0)
            else { throw Failure.noModel }
            let uuid = Self.newUUID()
            try conn.run("""
                INSERT INTO preduplet (uuid, data, problem, workflow, model, status, timestamp_request)
                VALUES (?, ?, ?, ?, ?, 'todo', ?)
                """, parameters: [uuid, data, problem, p.text(0), model, now])
            if push { try Self.enqueue(conn, path: "/pred", collection: .preduplet, uuid: uuid) }
            return try Self.document(conn, .preduplet, uuid: uuid) ?? []
        }
    }

    // MARK: - Worker

    /// todo → pending with `worker`, as one conditional UPDATE: exactly one concurrent
    /// claim wins. Concurrent claims share a transaction (group commit, see `ClaimBatcher`).
    func claim(_ type: UpletType, id: String, worker: String) async throws {
        switch try await claims.claim(type, id: id, worker: worker) {
        case .won: return
        case .notFound: throw Failure.pageNotFound
        case .lost: throw Failure.workerNotSet(type, id)
        }
    }

    /// Group-commit counters since start: write transactions, claims applied, largest batch.
    public func claimStatistics() async -> (transactions: Int, claims: Int, largestBatch: Int) {
        await (claims.transactions, claims.applied, claims.largestBatch)
    }

    /// A learning result, validated.
    struct LearnResult: Sendable {
        var status: String
        var perf: Double?
        var trainPerf: String?
        var testPerf: String?
    }

    /// pending → done/failed; on done, the next rank starts from the algo's best model.
    func learnDone(id: String, result: LearnResult) async throws {
        let now = clock()
        let push = pushEnabled
        try await write { conn in
            guard let row = try conn.queryOne("SELECT algo, rank, status FROM learnuplet WHERE uuid = ?", id) else { throw Failure.pageNotFound }
            guard row.text(2) == "pending" else { throw Failure.noUpdate(.learnuplet, id) }
            try conn.run("""
                UPDATE learnuplet SET status = ?, perf = ?, train_perf = ?, test_perf = ?, timestamp_done = ?
                WHERE uuid = ? AND status = 'pending'
                """, parameters: [result.status, result.perf, result.trainPerf, result.testPerf, now, id])
            guard result.status == "done" else { return }
            let algo = row.text(0)
            let nextRank = (row.int(1) ?? 0) + 1
            guard let best = try Self.bestModel(conn, algo: algo) else { return }
            let changed = try conn.run("UPDATE learnuplet SET model_start = ? WHERE algo = ? AND rank = ? AND status = 'todo'", best, algo, nextRank)
            if changed == 1 && push {
                if let next = try conn.queryOne("SELECT uuid FROM learnuplet WHERE algo = ? AND rank = ?", algo, nextRank) {
                    try Self.enqueue(conn, path: "/learn", collection: .learnuplet, uuid: next.text(0))
                }
            }
        }
    }

    /// pending → done/failed for a preduplet.
    func predDone(id: String, status: String, storageUUID: String?) async throws {
        let now = clock()
        try await write { conn in
            guard let row = try conn.queryOne("SELECT status FROM preduplet WHERE uuid = ?", id) else { throw Failure.pageNotFound }
            guard row.text(0) == "pending" else { throw Failure.noUpdate(.preduplet, id) }
            try conn.run("""
                UPDATE preduplet SET status = ?, prediction_storage_uuid = ?, timestamp_done = ?
                WHERE uuid = ? AND status = 'pending'
                """, parameters: [status, storageUUID, now, id])
        }
    }

    // MARK: - Helpers

    /// A write transaction; a unique-key violation becomes 409 `already exists`.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        do {
            return try await db.write(body)
        } catch let e as StorageError where e.isUniqueViolation {
            throw Failure.alreadyExists
        }
    }
}

/// What the cutting rule needs of a problem.
struct ProblemInfo: Sendable {
    var uuid: String
    var workflow: String
    var testJSON: String
    var size: Int
    var testData: Set<String>
    /// Bumped whenever data are added to the problem.
    var version: Int

    static func load(_ conn: any SQLConnection, _ uuid: String) throws -> ProblemInfo? {
        guard let row = try conn.queryOne("SELECT workflow, test_dataset, size_train_dataset, train_version FROM problem WHERE uuid = ?", uuid) else { return nil }
        var test = Set<String>()
        try conn.forEach("SELECT data FROM problem_test_data WHERE problem = ?", parameters: [uuid]) { test.insert($0.text(0)) }
        return ProblemInfo(uuid: uuid, workflow: row.text(0), testJSON: row.text(1), size: row.int(2) ?? 1, testData: test, version: row.int(3) ?? 0)
    }
}
