/// Every SQL statement of the store, named. Statements are built once: the connection's
/// statement cache is keyed by their text. Tables are described in `Schema`.
enum Queries {
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
    static let chunkTrainData = "SELECT train_data FROM chunk WHERE id = ?"

    /// `SELECT <columns> FROM <source>` per collection.
    static let selectDocuments: [Collection: String] = Dictionary(uniqueKeysWithValues: Collection.allCases.map {
        ($0, "SELECT \(columns($0)) FROM \(source($0))")
    })

    /// One document by uuid, per collection.
    static let documentByUUID: [Collection: String] = selectDocuments.mapValues { $0 + " WHERE uuid = ?" }

    /// A page of the documents matching `condition` (a `WHERE …` or nothing), in insertion
    /// order: the document's columns then its `seq` (the next page's `after`), at most `?`
    /// rows (the last parameter), after the position `?` (before it) when `after`.
    /// `bySeq`: the page's `seq`s are selected first (see `Collection.selectsBySeq`).
    static func listPage(_ collection: Collection, where condition: String, after: Bool, bySeq: Bool = false) -> String {
        let start = !after ? "" : (condition.isEmpty ? "WHERE " : " AND ") + "seq > ?"
        let seqs = "SELECT seq FROM \(source(collection)) \(condition)\(start) ORDER BY seq LIMIT ?"
        return bySeq
            ? "SELECT \(columns(collection)), seq FROM \(source(collection)) WHERE seq IN (\(seqs)) ORDER BY seq"
            : "SELECT \(columns(collection)), seq FROM \(source(collection)) \(condition)\(start) ORDER BY seq LIMIT ?"
    }

    // MARK: - Problems

    /// Stores a problem.
    static let insertProblem =
        "INSERT INTO problem (uuid, workflow, test_dataset, size_train_dataset, timestamp_upload) VALUES (?, ?, ?, ?, ?)"
    /// Indexes one of a problem's test data.
    static let insertProblemTestData = "INSERT OR IGNORE INTO problem_test_data (problem, data) VALUES (?, ?)"
    /// What the cutting rule needs of a problem.
    static let problemInfo = "SELECT workflow, test_dataset, size_train_dataset, train_version FROM problem WHERE uuid = ?"
    /// A problem's test data ids.
    static let problemTestData = "SELECT data FROM problem_test_data WHERE problem = ?"
    /// Marks that a problem got new data (invalidates its cached chunks).
    static let bumpTrainVersion = "UPDATE problem SET train_version = train_version + 1 WHERE uuid = ?"
    /// A problem's workflow.
    static let problemWorkflow = "SELECT workflow FROM problem WHERE uuid = ?"

    // MARK: - Algos

    /// Whether an algo exists.
    static let algoExists = "SELECT 1 FROM algo WHERE uuid = ?"
    /// Stores an algo.
    static let insertAlgo = "INSERT INTO algo (uuid, problem, name, timestamp_upload) VALUES (?, ?, ?, ?)"
    /// A problem's algos, in insertion order.
    static let algosOfProblem = "SELECT uuid FROM algo WHERE problem = ? ORDER BY seq"

    // MARK: - Data

    /// Stores a data document.
    static let insertData = "INSERT INTO data (uuid, problems, timestamp_upload) VALUES (?, ?, ?)"
    /// Indexes a data id under one of its problems.
    static let insertDataProblem = "INSERT INTO data_problem (problem, timestamp_upload, data) VALUES (?, ?, ?)"
    /// A problem's train data ids (its data minus its test data), by (upload time, uuid).
    static let trainDataOfProblem = """
        SELECT dp.data FROM data_problem dp
        WHERE dp.problem = ?
          AND NOT EXISTS (SELECT 1 FROM problem_test_data t WHERE t.problem = dp.problem AND t.data = dp.data)
        ORDER BY dp.timestamp_upload, dp.data
        """

    // MARK: - Chunks

    /// Stored chunks with a given hash of their ids.
    static let chunksWithHash = "SELECT id, train_data FROM chunk WHERE hash = ?"
    /// Stores a chunk.
    static let insertChunk = "INSERT INTO chunk (hash, train_data) VALUES (?, ?)"
    /// Indexes one data id of a chunk.
    static let insertChunkData = "INSERT OR IGNORE INTO chunk_data (data, chunk) VALUES (?, ?)"

    // MARK: - Learnuplets

    /// Stores a todo learnuplet.
    static let insertLearnuplet = """
        INSERT INTO learnuplet (uuid, problem, workflow, algo, model_start, model_end, chunk, test_data,
                                status, rank, timestamp_creation)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'todo', ?, ?)
        """
    /// An algo's highest rank and its model_end.
    static let lastRankOfAlgo = "SELECT rank, model_end FROM learnuplet WHERE algo = ? ORDER BY rank DESC LIMIT 1"
    /// The model_end of an algo's best-perf done learnuplet (ties: the earliest rank).
    static let bestModelOfAlgo = """
        SELECT model_end FROM learnuplet
        WHERE algo = ? AND status = 'done' AND perf IS NOT NULL
        ORDER BY perf DESC, rank ASC LIMIT 1
        """
    /// The model_end of a problem's best-perf done learnuplet (ties: the earliest made).
    static let bestModelOfProblem = """
        SELECT model_end FROM learnuplet
        WHERE problem = ? AND status = 'done' AND perf IS NOT NULL
        ORDER BY perf DESC, seq ASC LIMIT 1
        """
    /// What a learning result needs of its learnuplet.
    static let learnupletForResult = "SELECT algo, rank, status FROM learnuplet WHERE uuid = ?"
    /// Stores a learning result (only from pending).
    static let storeLearnResult = """
        UPDATE learnuplet SET status = ?, perf = ?, train_perf = ?, test_perf = ?, timestamp_done = ?
        WHERE uuid = ? AND status = 'pending'
        """
    /// Sets the start model of an algo's still-todo learnuplet at a rank.
    static let setModelStart = "UPDATE learnuplet SET model_start = ? WHERE algo = ? AND rank = ? AND status = 'todo'"
    /// An algo's learnuplet at a rank.
    static let learnupletAtRank = "SELECT uuid FROM learnuplet WHERE algo = ? AND rank = ?"

    // MARK: - Pending chain continuations

    /// Records that an algo's chain is to be continued over chunks (ids, comma-separated).
    static let insertPendingCut = "INSERT INTO pending_cut (problem, algo, chunks, created_at) VALUES (?, ?, ?, ?)"
    /// One pending continuation.
    static let pendingCut = "SELECT problem, algo, chunks, created_at FROM pending_cut WHERE id = ?"
    /// Every pending continuation, oldest first.
    static let allPendingCuts = "SELECT id FROM pending_cut ORDER BY id"
    /// Removes a done continuation.
    static let deletePendingCut = "DELETE FROM pending_cut WHERE id = ?"

    // MARK: - Preduplets

    /// Stores a todo preduplet.
    static let insertPreduplet = """
        INSERT INTO preduplet (uuid, data, problem, workflow, model, status, timestamp_request)
        VALUES (?, ?, ?, ?, ?, 'todo', ?)
        """
    /// A preduplet's status.
    static let predupletStatus = "SELECT status FROM preduplet WHERE uuid = ?"
    /// Stores a prediction result (only from pending).
    static let storePredResult = """
        UPDATE preduplet SET status = ?, prediction_storage_uuid = ?, timestamp_done = ?
        WHERE uuid = ? AND status = 'pending'
        """

    // MARK: - Claims

    /// todo → pending with a worker, per uplet table (one row changed: the claim won).
    static let claim: [UpletType: String] = [
        .learnuplet: "UPDATE learnuplet SET status = 'pending', worker = ? WHERE uuid = ? AND status = 'todo'",
        .preduplet: "UPDATE preduplet SET status = 'pending', worker = ? WHERE uuid = ? AND status = 'todo'",
    ]
    /// Whether an uplet exists, per uplet table.
    static let upletExists: [UpletType: String] = [
        .learnuplet: "SELECT 1 FROM learnuplet WHERE uuid = ?",
        .preduplet: "SELECT 1 FROM preduplet WHERE uuid = ?",
    ]

    // MARK: - Outbox

    /// Queues a push to compute.
    static let enqueue = "INSERT INTO outbox (path, payload, attempts, next_attempt_at, created_at) VALUES (?, ?, 0, ?, ?)"
    /// Items due at a time, oldest first.
    static let dueOutbox = "SELECT id, path, payload, attempts FROM outbox WHERE next_attempt_at <= ? ORDER BY id LIMIT ?"
    /// Removes a delivered item.
    static let deleteOutbox = "DELETE FROM outbox WHERE id = ?"
    /// Schedules another attempt.
    static let retryOutbox = "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?"
    /// When the next item falls due.
    static let nextOutboxDue = "SELECT MIN(next_attempt_at) FROM outbox"
    /// Items still waiting.
    static let outboxCount = "SELECT COUNT(*) FROM outbox"
}
