import Storage

/// The orchestrator's tables, as numbered migrations (never edit a shipped one).
///
/// List fields are stored as JSON text in the document's row (returned as is) and, where
/// a filter or a rule needs them, also as join tables: `problem_test_data` (a problem's
/// test data, for the exclusion rule and the `test_dataset`/`test_data` filters) and
/// `data_problem` (which data belong to a problem, ordered by upload time then uuid).
/// A learnuplet's `train_data` lives in `chunk`, shared by every learnuplet cut from the
/// same ids (all algos of a problem get the same chunks), with `chunk_data` indexing
/// which chunks hold a data id (the `train_data` filter). `seq` keeps insertion order.
///
/// Each migration has its SQLite and its PostgreSQL script (the SQLite ones are the shipped
/// ones, unchanged). PostgreSQL: `seq` and ids are identity columns (never reused, even after
/// a rollback: a chunk id read once names the same ids for good, see `ChunkListCache`),
/// integers `BIGINT`, reals `DOUBLE PRECISION`, and every text `COLLATE "C"`, so text sorts
/// bytewise as in SQLite (the order of a problem's train data, hence its chunks, is the same
/// on both backends) and its indexes compare with `memcmp`.
enum Schema {
    /// The numbered schema migrations.
    static let migrations: [Migration] = [
        Migration(version: 1, name: "collections", sqlite: """
            CREATE TABLE problem (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                uuid TEXT NOT NULL UNIQUE,
                workflow TEXT NOT NULL,
                test_dataset TEXT NOT NULL,
                size_train_dataset INTEGER NOT NULL,
                timestamp_upload INTEGER NOT NULL,
                train_version INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX problem_workflow ON problem(workflow);
            CREATE TABLE problem_test_data (
                problem TEXT NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (problem, data)
            ) WITHOUT ROWID;
            CREATE INDEX problem_test_data_data ON problem_test_data(data);

            CREATE TABLE algo (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                uuid TEXT NOT NULL UNIQUE,
                problem TEXT NOT NULL,
                name TEXT NOT NULL,
                timestamp_upload INTEGER NOT NULL
            );
            CREATE INDEX algo_problem ON algo(problem);
            CREATE INDEX algo_name ON algo(name);

            CREATE TABLE data (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                uuid TEXT NOT NULL UNIQUE,
                problems TEXT NOT NULL,
                timestamp_upload INTEGER NOT NULL
            );
            CREATE INDEX data_timestamp ON data(timestamp_upload);
            CREATE TABLE data_problem (
                problem TEXT NOT NULL,
                timestamp_upload INTEGER NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (problem, timestamp_upload, data)
            ) WITHOUT ROWID;

            CREATE TABLE chunk (
                id INTEGER PRIMARY KEY,
                hash INTEGER NOT NULL,
                train_data TEXT NOT NULL
            );
            CREATE INDEX chunk_hash ON chunk(hash);
            CREATE TABLE chunk_data (
                data TEXT NOT NULL,
                chunk INTEGER NOT NULL,
                PRIMARY KEY (data, chunk)
            ) WITHOUT ROWID;

            CREATE TABLE learnuplet (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                uuid TEXT NOT NULL UNIQUE,
                problem TEXT NOT NULL,
                workflow TEXT NOT NULL,
                algo TEXT NOT NULL,
                model_start TEXT,
                model_end TEXT NOT NULL,
                chunk INTEGER NOT NULL,
                test_data TEXT NOT NULL,
                worker TEXT,
                perf REAL,
                train_perf TEXT,
                test_perf TEXT,
                status TEXT NOT NULL,
                rank INTEGER NOT NULL,
                timestamp_creation INTEGER NOT NULL,
                timestamp_done INTEGER
            );
            CREATE UNIQUE INDEX learnuplet_algo_rank ON learnuplet(algo, rank);
            -- Partial indexes: a claim (todo → pending, worker set) adds one entry to each
            -- and removes none; "todo" (most rows) is found by scanning anyway.
            CREATE INDEX learnuplet_status ON learnuplet(status) WHERE status <> 'todo';
            CREATE INDEX learnuplet_problem ON learnuplet(problem);
            CREATE INDEX learnuplet_worker ON learnuplet(worker) WHERE worker IS NOT NULL;
            CREATE INDEX learnuplet_rank ON learnuplet(rank);
            CREATE INDEX learnuplet_model_start ON learnuplet(model_start);
            CREATE INDEX learnuplet_model_end ON learnuplet(model_end);
            CREATE INDEX learnuplet_workflow ON learnuplet(workflow);
            CREATE INDEX learnuplet_chunk ON learnuplet(chunk);

            CREATE TABLE preduplet (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                uuid TEXT NOT NULL UNIQUE,
                data TEXT NOT NULL,
                problem TEXT NOT NULL,
                workflow TEXT NOT NULL,
                model TEXT NOT NULL,
                status TEXT NOT NULL,
                worker TEXT,
                timestamp_request INTEGER NOT NULL,
                timestamp_done INTEGER,
                prediction_storage_uuid TEXT
            );
            CREATE INDEX preduplet_status ON preduplet(status);
            CREATE INDEX preduplet_problem ON preduplet(problem);
            CREATE INDEX preduplet_data ON preduplet(data);
            CREATE INDEX preduplet_model ON preduplet(model);
            CREATE INDEX preduplet_worker ON preduplet(worker);
            """, postgres: """
            CREATE TABLE problem (
                seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                uuid TEXT COLLATE "C" NOT NULL UNIQUE,
                workflow TEXT COLLATE "C" NOT NULL,
                test_dataset TEXT COLLATE "C" NOT NULL,
                size_train_dataset BIGINT NOT NULL,
                timestamp_upload BIGINT NOT NULL,
                train_version BIGINT NOT NULL DEFAULT 0
            );
            CREATE INDEX problem_workflow ON problem(workflow);
            CREATE TABLE problem_test_data (
                problem TEXT COLLATE "C" NOT NULL,
                data TEXT COLLATE "C" NOT NULL,
                PRIMARY KEY (problem, data)
            );
            CREATE INDEX problem_test_data_data ON problem_test_data(data);

            CREATE TABLE algo (
                seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                uuid TEXT COLLATE "C" NOT NULL UNIQUE,
                problem TEXT COLLATE "C" NOT NULL,
                name TEXT COLLATE "C" NOT NULL,
                timestamp_upload BIGINT NOT NULL
            );
            CREATE INDEX algo_problem ON algo(problem);
            CREATE INDEX algo_name ON algo(name);

            CREATE TABLE data (
                seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                uuid TEXT COLLATE "C" NOT NULL UNIQUE,
                problems TEXT COLLATE "C" NOT NULL,
                timestamp_upload BIGINT NOT NULL
            );
            CREATE INDEX data_timestamp ON data(timestamp_upload);
            CREATE TABLE data_problem (
                problem TEXT COLLATE "C" NOT NULL,
                timestamp_upload BIGINT NOT NULL,
                data TEXT COLLATE "C" NOT NULL,
                PRIMARY KEY (problem, timestamp_upload, data)
            );

            CREATE TABLE chunk (
                id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                hash BIGINT NOT NULL,
                train_data TEXT COLLATE "C" NOT NULL
            );
            CREATE INDEX chunk_hash ON chunk(hash);
            CREATE TABLE chunk_data (
                data TEXT COLLATE "C" NOT NULL,
                chunk BIGINT NOT NULL,
                PRIMARY KEY (data, chunk)
            );

            CREATE TABLE learnuplet (
                seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                uuid TEXT COLLATE "C" NOT NULL UNIQUE,
                problem TEXT COLLATE "C" NOT NULL,
                workflow TEXT COLLATE "C" NOT NULL,
                algo TEXT COLLATE "C" NOT NULL,
                model_start TEXT COLLATE "C",
                model_end TEXT COLLATE "C" NOT NULL,
                chunk BIGINT NOT NULL,
                test_data TEXT COLLATE "C" NOT NULL,
                worker TEXT COLLATE "C",
                perf DOUBLE PRECISION,
                train_perf TEXT COLLATE "C",
                test_perf TEXT COLLATE "C",
                status TEXT COLLATE "C" NOT NULL,
                rank BIGINT NOT NULL,
                timestamp_creation BIGINT NOT NULL,
                timestamp_done BIGINT
            );
            CREATE UNIQUE INDEX learnuplet_algo_rank ON learnuplet(algo, rank);
            CREATE INDEX learnuplet_status ON learnuplet(status) WHERE status <> 'todo';
            CREATE INDEX learnuplet_problem ON learnuplet(problem);
            CREATE INDEX learnuplet_worker ON learnuplet(worker) WHERE worker IS NOT NULL;
            CREATE INDEX learnuplet_rank ON learnuplet(rank);
            CREATE INDEX learnuplet_model_start ON learnuplet(model_start);
            CREATE INDEX learnuplet_model_end ON learnuplet(model_end);
            CREATE INDEX learnuplet_workflow ON learnuplet(workflow);
            CREATE INDEX learnuplet_chunk ON learnuplet(chunk);

            CREATE TABLE preduplet (
                seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                uuid TEXT COLLATE "C" NOT NULL UNIQUE,
                data TEXT COLLATE "C" NOT NULL,
                problem TEXT COLLATE "C" NOT NULL,
                workflow TEXT COLLATE "C" NOT NULL,
                model TEXT COLLATE "C" NOT NULL,
                status TEXT COLLATE "C" NOT NULL,
                worker TEXT COLLATE "C",
                timestamp_request BIGINT NOT NULL,
                timestamp_done BIGINT,
                prediction_storage_uuid TEXT COLLATE "C"
            );
            CREATE INDEX preduplet_status ON preduplet(status);
            CREATE INDEX preduplet_problem ON preduplet(problem);
            CREATE INDEX preduplet_data ON preduplet(data);
            CREATE INDEX preduplet_model ON preduplet(model);
            CREATE INDEX preduplet_worker ON preduplet(worker);
            """),
        Migration(version: 2, name: "compute outbox", sqlite: """
            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                path TEXT NOT NULL,
                payload TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at REAL NOT NULL,
                created_at REAL NOT NULL,
                last_error TEXT
            );
            CREATE INDEX outbox_due ON outbox(next_attempt_at);
            """, postgres: """
            CREATE TABLE outbox (
                id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                path TEXT COLLATE "C" NOT NULL,
                payload TEXT COLLATE "C" NOT NULL,
                attempts BIGINT NOT NULL DEFAULT 0,
                next_attempt_at DOUBLE PRECISION NOT NULL,
                created_at DOUBLE PRECISION NOT NULL,
                last_error TEXT COLLATE "C"
            );
            CREATE INDEX outbox_due ON outbox(next_attempt_at);
            """),
        // POST /data stores its data (and these rows) in one transaction, then continues
        // each algo in a transaction of its own that deletes the algo's row; rows left by a
        // crash are finished at start.
        Migration(version: 3, name: "pending chain continuations", sqlite: """
            CREATE TABLE pending_cut (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                problem TEXT NOT NULL,
                algo TEXT NOT NULL,
                chunks TEXT NOT NULL,
                created_at INTEGER NOT NULL
            );
            """, postgres: """
            CREATE TABLE pending_cut (
                id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                problem TEXT COLLATE "C" NOT NULL,
                algo TEXT COLLATE "C" NOT NULL,
                chunks TEXT COLLATE "C" NOT NULL,
                created_at BIGINT NOT NULL
            );
            """),
        // Replicas deliver the outbox together: an item is leased (its `next_attempt_at`
        // moved to the lease's end, `lease` set to a token of the leasing round) by one
        // replica at a time; a replica that dies leaves it due again when the lease ends.
        Migration(version: 4, name: "outbox leases", sql: """
            ALTER TABLE outbox ADD COLUMN lease TEXT;
            """),
    ]
}
