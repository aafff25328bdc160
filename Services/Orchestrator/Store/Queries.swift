import Storage

/// Every SQL statement of the store, named, with its text per dialect where SQLite and
/// PostgreSQL differ (`SQLQuery`: the connection runs the text of its own dialect).
/// Statements are built once: each connection's statement cache is keyed by their text.
/// Tables are described in `Schema`.
enum Queries {
    // MARK: - Connections and transactions

    /// Run once on each pooled read connection: SQLite's page cache and memory-mapped I/O
    /// (`OrchestratorStore.cachePages`, `.mmapBytes`); nothing to set on PostgreSQL.
    static let readerSetup = SQLQuery(
        sqlite: "PRAGMA cache_size=\(OrchestratorStore.cachePages); PRAGMA mmap_size=\(OrchestratorStore.mmapBytes)",
        postgres: "")

    // MARK: - Documents

    /// The columns a document is read from, in the order `StoredDocument.init(row:)` reads them.
    static func columns(_ collection: Collection) -> String {
        switch collection {
        case .problem: "uuid, workflow, test_dataset, size_train_dataset, timestamp_upload"
        case .algo: "uuid, problem, name, timestamp_upload"
        case .data: "uuid, problems, timestamp_upload"
        case .learnuplet:
            "uuid, problem, workflow, algo, model_start, model_end, chunk, test_data, worker, perf, train_perf, test_perf, status, rank, timestamp_creation, timestamp_done"
        case .preduplet:
            "uuid, data, problem, workflow, model, status, worker, timestamp_request, timestamp_done, prediction_storage_uuid"
        }
    }

    /// The table documents are read from. A learnuplet's `train_data` is its chunk's, read
    /// apart (`chunkTrainData`) and only when the store does not know the chunk yet.
    static func source(_ collection: Collection) -> String {
        collection.rawValue
    }

    /// The train data ids of a chunk (JSON text).
    static let chunkTrainData = SQLQuery("SELECT train_data FROM chunk WHERE id = ?")

    /// One document by uuid, per collection.
    static let documentByUUID: [Collection: SQLQuery] = Dictionary(uniqueKeysWithValues: Collection.allCases.map {
        ($0, SQLQuery("SELECT \(columns($0)) FROM \(source($0)) WHERE uuid = ?"))
    })

    /// A page of the documents matching `condition` (a `WHERE …` per dialect, or empty), in
    /// insertion order: the document's columns then its `seq` (the next page's `after`), at
    /// most `?` rows (the last parameter), after the position `?` (before it) when `after`.
    /// `bySeq`: the page's `seq`s are selected first (see `Collection.selectsBySeq`).
    static func listPage(_ collection: Collection, where condition: SQLQuery, after: Bool, bySeq: Bool = false) -> SQLQuery {
        SQLQuery(sqlite: listPage(collection, where: condition.sqlite, after: after, bySeq: bySeq),
                 postgres: listPage(collection, where: condition.postgres, after: after, bySeq: bySeq))
    }

    /// `listPage` for one dialect's condition (the rest of the text is portable).
    private static func listPage(_ collection: Collection, where condition: String, after: Bool, bySeq: Bool) -> String {
        let start = !after ? "" : (condition.isEmpty ? "WHERE " : " AND ") + "seq > ?"
        let seqs = "SELECT seq FROM \(source(collection)) \(condition)\(start) ORDER BY seq LIMIT ?"
        return bySeq
            ? "SELECT \(columns(collection)), seq FROM \(source(collection)) WHERE seq IN (\(seqs)) ORDER BY seq"
            : "SELECT \(columns(collection)), seq FROM \(source(collection)) \(condition)\(start) ORDER BY seq LIMIT ?"
    }

    // MARK: - Problems

    /// Stores a problem.
    static let insertProblem =
        SQLQuery("INSERT INTO problem (uuid, workflow, test_dataset, size_train_dataset, timestamp_upload) VALUES (?, ?, ?, ?, ?)")
    /// Indexes one of a problem's test data.
    static let insertProblemTestData = SQLQuery("INSERT INTO problem_test_data (problem, data) VALUES (?, ?) ON CONFLICT DO NOTHING")
    /// What the cutting rule needs of a problem.
    static let problemInfo = SQLQuery("SELECT workflow, test_dataset, size_train_dataset, train_version FROM problem WHERE uuid = ?")
    /// A problem's test data ids.
    static let problemTestData = SQLQuery("SELECT data FROM problem_test_data WHERE problem = ?")
    /// Marks that a problem got new data (invalidates its cached chunks).
    static let bumpTrainVersion = SQLQuery("UPDATE problem SET train_version = train_version + 1 WHERE uuid = ?")
    /// A problem's workflow.
    static let problemWorkflow = SQLQuery("SELECT workflow FROM problem WHERE uuid = ?")

    // MARK: - Algos

    /// Whether an algo exists.
    static let algoExists = SQLQuery("SELECT 1 FROM algo WHERE uuid = ?")
    /// Stores an algo.
    static let insertAlgo = SQLQuery("INSERT INTO algo (uuid, problem, name, timestamp_upload) VALUES (?, ?, ?, ?)")
    /// A problem's algos, in insertion order.
    static let algosOfProblem = SQLQuery("SELECT uuid FROM algo WHERE problem = ? ORDER BY seq")

    // MARK: - Data

    /// Stores a data document.
    static let insertData = SQLQuery("INSERT INTO data (uuid, problems, timestamp_upload) VALUES (?, ?, ?)")
    /// Indexes a data id under one of its problems.
    static let insertDataProblem = SQLQuery("INSERT INTO data_problem (problem, timestamp_upload, data) VALUES (?, ?, ?)")
    /// A problem's train data ids (its data minus its test data), by (upload time, uuid);
    /// text compares bytewise on both backends (PostgreSQL: `COLLATE "C"` columns).
    static let trainDataOfProblem = SQLQuery("""
        SELECT dp.data FROM data_problem dp
        WHERE dp.problem = ?
          AND NOT EXISTS (SELECT 1 FROM problem_test_data t WHERE t.problem = dp.problem AND t.data = dp.data)
        ORDER BY dp.timestamp_upload, dp.data
        """)

    // MARK: - Chunks

    /// Stored chunks with a given hash of their ids.
    static let chunksWithHash = SQLQuery("SELECT id, train_data FROM chunk WHERE hash = ?")
    /// Stores a chunk; its id.
    static let insertChunk = SQLQuery("INSERT INTO chunk (hash, train_data) VALUES (?, ?) RETURNING id")
    /// Indexes one data id of a chunk.
    static let insertChunkData = SQLQuery("INSERT INTO chunk_data (data, chunk) VALUES (?, ?) ON CONFLICT DO NOTHING")

    // MARK: - Learnuplets

    /// Stores a todo learnuplet.
    static let insertLearnuplet = SQLQuery("""
        INSERT INTO learnuplet (uuid, problem, workflow, algo, model_start, model_end, chunk, test_data,
                                status, rank, timestamp_creation)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'todo', ?, ?)
        """)
    /// An algo's highest rank and its model_end.
    static let lastRankOfAlgo = SQLQuery("SELECT rank, model_end FROM learnuplet WHERE algo = ? ORDER BY rank DESC LIMIT 1")
    /// The model_end of an algo's best-perf done learnuplet (ties: the earliest rank).
    static let bestModelOfAlgo = SQLQuery("""
        SELECT model_end FROM learnuplet
        WHERE algo = ? AND status = 'done' AND perf IS NOT NULL
        ORDER BY perf DESC, rank ASC LIMIT 1
        """)
    /// The model_end of a problem's best-perf done learnuplet (ties: the earliest made).
    static let bestModelOfProblem = SQLQuery("""
        SELECT model_end FROM learnuplet
        WHERE problem = ? AND status = 'done' AND perf IS NOT NULL
        ORDER BY perf DESC, seq ASC LIMIT 1
        """)
    /// What a learning result needs of its learnuplet.
    static let learnupletForResult = SQLQuery("SELECT algo, rank, status FROM learnuplet WHERE uuid = ?")
    /// Stores a learning result (only from pending).
    static let storeLearnResult = SQLQuery("""
        UPDATE learnuplet SET status = ?, perf = ?, train_perf = ?, test_perf = ?, timestamp_done = ?
        WHERE uuid = ? AND status = 'pending'
        """)
    /// Sets the start model of an algo's still-todo learnuplet at a rank.
    static let setModelStart = SQLQuery("UPDATE learnuplet SET model_start = ? WHERE algo = ? AND rank = ? AND status = 'todo'")
    /// An algo's learnuplet at a rank.
    static let learnupletAtRank = SQLQuery("SELECT uuid FROM learnuplet WHERE algo = ? AND rank = ?")

    // MARK: - Pending chain continuations

    /// Records that an algo's chain is to be continued over chunks (ids, comma-separated); its id.
    static let insertPendingCut = SQLQuery("INSERT INTO pending_cut (problem, algo, chunks, created_at) VALUES (?, ?, ?, ?) RETURNING id")
    /// One pending continuation.
    static let pendingCut = SQLQuery("SELECT problem, algo, chunks, created_at FROM pending_cut WHERE id = ?")
    /// Every pending continuation, oldest first.
    static let allPendingCuts = SQLQuery("SELECT id FROM pending_cut ORDER BY id")
    /// Removes a done continuation.
    static let deletePendingCut = SQLQuery("DELETE FROM pending_cut WHERE id = ?")

    // MARK: - Preduplets

    /// Stores a todo preduplet.
    static let insertPreduplet = SQLQuery("""
        INSERT INTO preduplet (uuid, data, problem, workflow, model, status, timestamp_request)
        VALUES (?, ?, ?, ?, ?, 'todo', ?)
        """)
    /// A preduplet's status.
    static let predupletStatus = SQLQuery("SELECT status FROM preduplet WHERE uuid = ?")
    /// Stores a prediction result (only from pending).
    static let storePredResult = SQLQuery("""
        UPDATE preduplet SET status = ?, prediction_storage_uuid = ?, timestamp_done = ?
        WHERE uuid = ? AND status = 'pending'
        """)

    // MARK: - Claims

    /// todo → pending for a batch of claims in one statement, per uplet table, run on its
    /// own (`SQLDatabase.writeStatement`: on PostgreSQL autocommit at `READ COMMITTED`, where
    /// a concurrent claim of the same row waits for the row lock, then re-checks `status =
    /// 'todo'` on the committed row and leaves it). The one parameter is a JSON object
    /// `{uuid: worker}`. Rows `(uuid, won)` come back: every claim won (`won` 1), and on
    /// PostgreSQL also every other uuid of the batch that exists (`won` 0), so a batch that
    /// lost claims needs no second round trip; SQLite's `RETURNING` can name only the rows it
    /// changed, and the store asks `claimedExisting` for the rest. PostgreSQL finds the rows
    /// with `uuid = ANY (…)` (an index scan in key order, whatever the table's size or
    /// statistics: a join with the JSON rows may be planned as a scan of the whole table), so
    /// every batch locks its rows in the same order and two replicas cannot deadlock.
    static let claimBatch: [UpletType: SQLQuery] = Dictionary(uniqueKeysWithValues: [UpletType.learnuplet, .preduplet].map { type in
        (type, SQLQuery(
            sqlite: """
                UPDATE \(type.rawValue) SET status = 'pending', worker = claim.worker
                FROM (SELECT key AS uuid, value AS worker FROM json_each(?)) AS claim
                WHERE \(type.rawValue).uuid = claim.uuid AND \(type.rawValue).status = 'todo'
                RETURNING \(type.rawValue).uuid, 1
                """,
            postgres: """
                WITH claim AS MATERIALIZED (SELECT CAST(? AS jsonb) AS workers),
                won AS (
                    UPDATE \(type.rawValue) SET status = 'pending', worker = (SELECT workers FROM claim) ->> uuid
                    WHERE uuid = ANY (ARRAY(SELECT jsonb_object_keys(workers) FROM claim)) AND status = 'todo'
                    RETURNING uuid)
                SELECT uuid, 1 FROM won
                UNION ALL
                SELECT uuid, 0 FROM \(type.rawValue)
                WHERE uuid = ANY (ARRAY(SELECT jsonb_object_keys(workers) FROM claim EXCEPT SELECT uuid FROM won))
                """))
    })
    /// Which uuids of a claim batch (the same JSON parameter) exist, per uplet table (a
    /// read: uplets are never deleted and their uuids are the server's, so a uuid that exists
    /// after the claim existed when it was made).
    static let claimedExisting: [UpletType: SQLQuery] = Dictionary(uniqueKeysWithValues: [UpletType.learnuplet, .preduplet].map { type in
        (type, SQLQuery(
            sqlite: "SELECT uuid FROM \(type.rawValue) WHERE uuid IN (SELECT key FROM json_each(?))",
            postgres: "SELECT uuid FROM \(type.rawValue) WHERE uuid = ANY (ARRAY(SELECT jsonb_object_keys(CAST(? AS jsonb))))"))
    })

    // MARK: - Outbox

    /// Queues a push to compute.
    static let enqueue = SQLQuery("INSERT INTO outbox (path, payload, attempts, next_attempt_at, created_at) VALUES (?, ?, 0, ?, ?)")
    /// Leases the oldest due items (due at `?`, at most `?`) to one delivery round: their
    /// `next_attempt_at` becomes the lease's end and `lease` its token (parameters: lease
    /// end, token, now, limit); their rows come back (any order). PostgreSQL skips the rows
    /// another replica is leasing at that moment (`FOR UPDATE SKIP LOCKED`, run on its
    /// own at `READ COMMITTED`: `SQLDatabase.writeStatement`), so no two replicas lease one item.
    static let leaseOutbox = SQLQuery(
        sqlite: """
            UPDATE outbox SET next_attempt_at = ?, lease = ?
            WHERE id IN (SELECT id FROM outbox WHERE next_attempt_at <= ? ORDER BY id LIMIT ?)
            RETURNING id, path, payload, attempts
            """,
        postgres: """
            UPDATE outbox SET next_attempt_at = ?, lease = ?
            WHERE id IN (SELECT id FROM outbox WHERE next_attempt_at <= ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)
            RETURNING id, path, payload, attempts
            """)
    /// Removes a delivered item.
    static let deleteOutbox = SQLQuery("DELETE FROM outbox WHERE id = ?")
    /// Schedules another attempt of an item still leased by the round that failed it
    /// (parameters: attempts, time, error, id, lease token).
    static let retryOutbox = SQLQuery("UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, lease = NULL WHERE id = ? AND lease = ?")
    /// Makes an item still leased by a round due at once (parameters: time, id, lease token).
    static let releaseOutbox = SQLQuery("UPDATE outbox SET next_attempt_at = ?, lease = NULL WHERE id = ? AND lease = ?")
    /// When the next item falls due (a leased one: when its lease ends).
    static let nextOutboxDue = SQLQuery("SELECT MIN(next_attempt_at) FROM outbox")
    /// Items still waiting.
    static let outboxCount = SQLQuery("SELECT COUNT(*) FROM outbox")
}
