import Storage

/// Every SQL statement of the store, named, as `SQLQuery`s: one text where SQLite and
/// PostgreSQL agree, one per dialect where they differ. Statements whose conditions depend
/// on the filter are built by the functions below from a fixed set of fragments (each text
/// is prepared once and cached by the connection). Tables are described in `Schema`.
///
/// Where the dialects differ: SQLite's `json_each(?)` is PostgreSQL's
/// `jsonb_array_elements(CAST(? AS jsonb))`; SQLite's `INDEXED BY` (the planner lacks
/// statistics for every index) is left out on PostgreSQL; `WHERE 1` is `WHERE TRUE`; a
/// derived table is named (PostgreSQL 15 requires it); `MIN(a, b)` is `LEAST(a, b)`;
/// `SUM` of integers is cast back to `BIGINT` (PostgreSQL answers `numeric`); SQLite's
/// `rowid` of `tool_usage` is its identity column `seq`.
enum Queries {
    /// The `client` value that also matches interceptions without a client.
    static let unknownClient = "Unknown"

    /// A statement built per dialect by `text` (the dynamic statements below).
    static func perDialect(_ text: (SQLDialect) -> String) -> SQLQuery {
        SQLQuery(sqlite: text(.sqlite), postgres: text(.postgres))
    }

    /// The elements of the JSON array bound at this place, as a one-column table `value`.
    static func jsonValues(_ dialect: SQLDialect) -> String {
        switch dialect {
        case .sqlite: "SELECT value FROM json_each(?)"
        case .postgres: "SELECT jsonb_array_elements_text(CAST(? AS jsonb))"
        }
    }

    /// `WHERE` followed by ` AND …` conditions.
    static func whereTrue(_ dialect: SQLDialect) -> String {
        dialect == .sqlite ? "WHERE 1" : "WHERE TRUE"
    }

    /// ` INDEXED BY index` on SQLite, nothing on PostgreSQL.
    static func indexedBy(_ index: String, _ dialect: SQLDialect) -> String {
        dialect == .sqlite ? " INDEXED BY \(index)" : ""
    }

    /// The alias of a derived table (required by PostgreSQL, not given on SQLite).
    static func derivedAlias(_ dialect: SQLDialect) -> String {
        dialect == .sqlite ? "" : " AS grouped"
    }

    // MARK: - Recording

    /// Stores an interception in flight.
    static let insertInterception = SQLQuery("""
        INSERT INTO interception (id, initiator_id, provider, model, started_at, metadata, api_key_id, client, client_session_id,
                                  thread_parent_id, thread_root_id, session_id, thread_key)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    /// What `finish` needs of an interception.
    static let interceptionToFinish = SQLQuery("""
        SELECT initiator_id, session_id, thread_key, provider, model, client, started_at, ended_at FROM interception WHERE id = ?
        """)
    /// Ends an interception.
    static let endInterception = SQLQuery("UPDATE interception SET ended_at = ? WHERE id = ?")
    /// Stores a token usage.
    static let insertTokenUsage = SQLQuery("""
        INSERT INTO token_usage (id, interception_id, provider_response_id, input_tokens, output_tokens, metadata, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """)
    /// Stores the user prompt.
    static let insertUserPrompt = SQLQuery("""
        INSERT INTO user_prompt (id, interception_id, provider_response_id, prompt, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?)
        """)
    /// Stores a tool usage.
    static let insertToolUsage = SQLQuery("""
        INSERT INTO tool_usage (id, interception_id, provider_response_id, provider_tool_call_id, server_url, tool, input, injected,
                                invocation_error, metadata, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    /// Counts an ended interception under (initiator, provider, model, client or `Unknown`).
    static let tallyInterception = SQLQuery("""
        INSERT INTO interception_tally (initiator_id, provider, model, client, interceptions) VALUES (?, ?, ?, ?, 1)
        ON CONFLICT (initiator_id, provider, model, client) DO UPDATE SET interceptions = interception_tally.interceptions + 1
        """)
    /// Keeps the earliest start of an interception's (initiator, session, provider, model, client).
    static let facetInterception = SQLQuery(sqlite: """
        INSERT INTO session_facet (initiator_id, session_id, provider, model, client, started_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (initiator_id, session_id, provider, model, client) DO UPDATE SET started_at = MIN(started_at, excluded.started_at)
        """, postgres: """
        INSERT INTO session_facet (initiator_id, session_id, provider, model, client, started_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (initiator_id, session_id, provider, model, client)
        DO UPDATE SET started_at = LEAST(session_facet.started_at, excluded.started_at)
        """)
    /// Counts an ended interception of an initiator.
    static let tallyInitiatorInterception = SQLQuery("""
        INSERT INTO initiator_tally (initiator_id, interceptions, sessions) VALUES (?, 1, 0)
        ON CONFLICT (initiator_id) DO UPDATE SET interceptions = initiator_tally.interceptions + 1
        """)
    /// Counts a new session of an initiator.
    static let tallySession = SQLQuery("""
        INSERT INTO initiator_tally (initiator_id, interceptions, sessions) VALUES (?, 0, 1)
        ON CONFLICT (initiator_id) DO UPDATE SET sessions = initiator_tally.sessions + 1
        """)
    /// A session's row, for `finish` to fold an interception in.
    static let sessionToUpdate = SQLQuery("""
        SELECT started_at, ended_at, first_interception_id, providers, models, threads, input_tokens, output_tokens,
               last_prompt_id, last_prompt_at
        FROM session WHERE initiator_id = ? AND session_id = ?
        """)
    /// A session's first row.
    static let insertSession = SQLQuery("""
        INSERT INTO session (initiator_id, session_id, started_at, ended_at, first_interception_id, providers, models, threads,
                             input_tokens, output_tokens, last_prompt_id, last_prompt_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    /// A session's row after folding an interception in.
    static let updateSession = SQLQuery("""
        UPDATE session SET started_at = ?, ended_at = ?, first_interception_id = ?, providers = ?, models = ?, threads = ?,
                           input_tokens = ?, output_tokens = ?, last_prompt_id = ?, last_prompt_at = ?
        WHERE initiator_id = ? AND session_id = ?
        """)
    /// Whether another ended interception of the session has this thread key.
    static let threadSeen = SQLQuery("""
        SELECT 1 FROM interception
        WHERE initiator_id = ? AND session_id = ? AND thread_key = ? AND ended_at IS NOT NULL AND id <> ? LIMIT 1
        """)
    /// The newest tool usage of a provider call id: its interception and that one's root
    /// (ties on `created_at`: the last inserted, SQLite's `rowid`, PostgreSQL's `seq`).
    static let toolCallOrigin = SQLQuery(sqlite: """
        SELECT t.interception_id, i.thread_root_id FROM tool_usage t JOIN interception i ON i.id = t.interception_id
        WHERE t.provider_tool_call_id = ? ORDER BY t.created_at DESC, t.rowid DESC LIMIT 1
        """, postgres: """
        SELECT t.interception_id, i.thread_root_id FROM tool_usage t JOIN interception i ON i.id = t.interception_id
        WHERE t.provider_tool_call_id = ? ORDER BY t.created_at DESC, t.seq DESC LIMIT 1
        """)

    // MARK: - Users

    /// Remembers a user's name (the newest seen wins).
    static let rememberUser = SQLQuery("""
        INSERT INTO app_user (id, name, seen_at) VALUES (?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, seen_at = excluded.seen_at
        """)
    /// The user who most recently went by a name.
    static let userByName = SQLQuery("SELECT id FROM app_user WHERE name = ? ORDER BY seen_at DESC LIMIT 1")
    /// Whether an id is a user the service has seen.
    static let userByID = SQLQuery("SELECT 1 FROM app_user WHERE id = ? UNION ALL SELECT 1 FROM initiator_tally WHERE initiator_id = ? LIMIT 1")
    /// The names of the users of a JSON array of ids.
    static let userNames = perDialect { "SELECT id, name FROM app_user WHERE id IN (\(jsonValues($0)))" }

    // MARK: - Interceptions

    /// The columns of an interception in a list, in the order `StoredInterception` reads them.
    static let interceptionColumns =
        "id, initiator_id, provider, model, started_at, ended_at, metadata, api_key_id, client"

    /// A cursor interception the caller can see: its start.
    static func interceptionCursor(visibleOnly: Bool) -> SQLQuery {
        SQLQuery("SELECT started_at FROM interception WHERE id = ? AND ended_at IS NOT NULL" + (visibleOnly ? " AND initiator_id = ?" : ""))
    }

    /// A page of interceptions: newest first, after the cursor when `keyset`, then `LIMIT ? OFFSET ?`,
    /// read in that order from `index` (one of the three list orders; no sort).
    static func interceptionPage(_ condition: String, keyset: Bool, index: ListIndex) -> SQLQuery {
        let after = keyset ? " AND started_at <= ? AND (started_at < ? OR id < ?)" : ""
        return perDialect { dialect in
            """
            SELECT \(interceptionColumns) FROM interception\(indexedBy(index.rawValue, dialect))
            WHERE ended_at IS NOT NULL\(condition)\(after) ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?
            """
        }
    }

    /// The indexes that give interceptions in list order (`started_at` DESC, `id` DESC).
    enum ListIndex: String {
        /// Every ended interception.
        case all = "interception_order"
        /// One initiator's.
        case initiator = "interception_initiator"
        /// One model's.
        case model = "interception_model"

        /// The index for `filter`: its initiator's, else its model's, else all (the planner,
        /// without statistics for every index, may otherwise pick a grouping index and sort).
        init(_ filter: InterceptionFilter) {
            if filter.visibleInitiator != nil || filter.initiator != nil {
                self = .initiator
            } else if filter.model != nil {
                self = .model
            } else {
                self = .all
            }
        }
    }

    /// The number of ended interceptions matching a condition.
    static func interceptionCount(_ condition: String) -> SQLQuery {
        SQLQuery("SELECT COUNT(*) FROM interception WHERE ended_at IS NOT NULL\(condition)")
    }

    /// The number of ended interceptions from the tallies (no date condition).
    static func tallyCount(_ condition: String) -> SQLQuery {
        SQLQuery(sqlite: "SELECT COALESCE(SUM(interceptions), 0) FROM interception_tally WHERE 1\(condition)",
                 postgres: "SELECT CAST(COALESCE(SUM(interceptions), 0) AS BIGINT) FROM interception_tally WHERE TRUE\(condition)")
    }

    /// The number of ended interceptions from the initiators' tallies (no condition but initiators).
    static func initiatorInterceptionCount(_ condition: String) -> SQLQuery {
        SQLQuery(sqlite: "SELECT COALESCE(SUM(interceptions), 0) FROM initiator_tally WHERE 1\(condition)",
                 postgres: "SELECT CAST(COALESCE(SUM(interceptions), 0) AS BIGINT) FROM initiator_tally WHERE TRUE\(condition)")
    }

    /// The token usages of a JSON array of interception ids, by interception then `created_at`, id.
    static let tokenUsagesOf = perDialect { dialect in
        """
        SELECT id, interception_id, provider_response_id, input_tokens, output_tokens, metadata, created_at FROM token_usage
        WHERE interception_id IN (\(jsonValues(dialect))) ORDER BY interception_id, created_at, id
        """
    }
    /// The user prompts of a JSON array of interception ids.
    static let userPromptsOf = perDialect { dialect in
        """
        SELECT id, interception_id, provider_response_id, prompt, metadata, created_at FROM user_prompt
        WHERE interception_id IN (\(jsonValues(dialect))) ORDER BY interception_id, created_at, id
        """
    }
    /// The tool usages of a JSON array of interception ids.
    static let toolUsagesOf = perDialect { dialect in
        """
        SELECT id, interception_id, provider_response_id, server_url, tool, input, injected, invocation_error, metadata, created_at
        FROM tool_usage WHERE interception_id IN (\(jsonValues(dialect))) ORDER BY interception_id, created_at, id
        """
    }

    // MARK: - Sessions (kept rows: no condition beyond initiator and session id)

    /// The columns of a kept session with its first interception's client and metadata and
    /// its newest prompt, in the order `StoredSession` reads them.
    static let sessionColumns = """
        s.initiator_id, s.session_id, s.started_at, s.ended_at, s.providers, s.models, s.threads, s.input_tokens, s.output_tokens,
        f.client, f.metadata, p.prompt
        """

    /// A page of kept sessions: newest first, after the cursor when `keyset`, then `LIMIT ? OFFSET ?`.
    /// The page's keys are chosen on the `session` indexes alone (rows skipped by `OFFSET`
    /// are never joined), then joined.
    static func sessionPage(_ condition: String, keyset: Bool) -> SQLQuery {
        let after = keyset
            ? " AND s.started_at <= ? AND (s.started_at < ? OR s.session_id < ? OR (s.session_id = ? AND s.initiator_id < ?))" : ""
        return perDialect { dialect in
            """
            SELECT \(sessionColumns) FROM (
                SELECT s.initiator_id, s.session_id FROM session s
                \(whereTrue(dialect))\(condition)\(after) ORDER BY s.started_at DESC, s.session_id DESC, s.initiator_id DESC LIMIT ? OFFSET ?
            ) AS page
            JOIN session s ON s.initiator_id = page.initiator_id AND s.session_id = page.session_id
            JOIN interception f ON f.id = s.first_interception_id
            LEFT JOIN user_prompt p ON p.id = s.last_prompt_id
            ORDER BY s.started_at DESC, s.session_id DESC, s.initiator_id DESC
            """
        }
    }

    /// The number of kept sessions of a condition on `s.session_id` and `s.initiator_id`.
    static func sessionCount(_ condition: String) -> SQLQuery {
        perDialect { "SELECT COUNT(*) FROM session s \(whereTrue($0))\(condition)" }
    }

    /// The number of sessions from the initiators' tallies (no condition but initiators).
    static func sessionTallyCount(_ condition: String) -> SQLQuery {
        SQLQuery(sqlite: "SELECT COALESCE(SUM(sessions), 0) FROM initiator_tally WHERE 1\(condition)",
                 postgres: "SELECT CAST(COALESCE(SUM(sessions), 0) AS BIGINT) FROM initiator_tally WHERE TRUE\(condition)")
    }

    /// The visible session a cursor names: the earliest-started group with that id.
    static func sessionCursor(visibleOnly: Bool) -> SQLQuery {
        SQLQuery("SELECT initiator_id, started_at FROM session WHERE session_id = ?"
            + (visibleOnly ? " AND initiator_id = ?" : "") + " ORDER BY started_at, initiator_id LIMIT 1")
    }

    // MARK: - Sessions (grouped at query time: filters on interception fields)

    /// The groups of the matching interceptions with their (filtered) start and the number
    /// of groups (one grouping pass answers the page and `count`): newest first, after the
    /// cursor when `keyset`, then `LIMIT ? OFFSET ?`.
    /// `covering`: read `interception_session` alone (every column the filter reads is in it).
    static func groupedSessionPage(_ condition: String, keyset: Bool, covering: Bool) -> SQLQuery {
        let after = keyset
            ? " WHERE started_at < ? OR (started_at = ? AND (session_id < ? OR (session_id = ? AND initiator_id < ?)))" : ""
        return perDialect { dialect in
            """
            SELECT initiator_id, session_id, started_at, total FROM (
                SELECT initiator_id, session_id, MIN(started_at) AS started_at, COUNT(*) OVER () AS total
                FROM interception\(covering ? indexedBy("interception_session", dialect) : "")
                WHERE ended_at IS NOT NULL\(condition) GROUP BY initiator_id, session_id
            )\(derivedAlias(dialect))\(after)
            ORDER BY started_at DESC, session_id DESC, initiator_id DESC LIMIT ? OFFSET ?
            """
        }
    }

    /// The sessions with facets matching a condition (provider, model, client, initiator,
    /// session id; no date), with their (filtered) start and the number of sessions: as
    /// `groupedSessionPage`, from `session_facet`.
    static func facetSessionPage(_ condition: String, keyset: Bool) -> SQLQuery {
        let after = keyset
            ? " WHERE started_at < ? OR (started_at = ? AND (session_id < ? OR (session_id = ? AND initiator_id < ?)))" : ""
        return perDialect { dialect in
            """
            SELECT initiator_id, session_id, started_at, total FROM (
                SELECT initiator_id, session_id, MIN(started_at) AS started_at, COUNT(*) OVER () AS total
                FROM session_facet \(whereTrue(dialect))\(condition) GROUP BY initiator_id, session_id
            )\(derivedAlias(dialect))\(after)
            ORDER BY started_at DESC, session_id DESC, initiator_id DESC LIMIT ? OFFSET ?
            """
        }
    }

    /// The number of sessions with facets matching a condition.
    static func facetSessionCount(_ condition: String) -> SQLQuery {
        perDialect { dialect in
            "SELECT COUNT(*) FROM (SELECT 1 FROM session_facet \(whereTrue(dialect))\(condition) GROUP BY initiator_id, session_id)\(derivedAlias(dialect))"
        }
    }

    /// A cursor among sessions filtered by facets: the earliest-started matching session with
    /// a session id, its initiator and (filtered) start.
    static func facetSessionCursor(_ condition: String) -> SQLQuery {
        perDialect { dialect in
            "SELECT initiator_id, MIN(started_at) FROM session_facet \(whereTrue(dialect))\(condition) AND session_id = ? GROUP BY initiator_id ORDER BY 2, 1 LIMIT 1"
        }
    }

    /// The number of groups of the matching interceptions.
    static func groupedSessionCount(_ condition: String, covering: Bool) -> SQLQuery {
        perDialect { dialect in
            "SELECT COUNT(*) FROM (SELECT 1 FROM interception\(covering ? indexedBy("interception_session", dialect) : "") WHERE ended_at IS NOT NULL\(condition) GROUP BY initiator_id, session_id)\(derivedAlias(dialect))"
        }
    }

    /// A cursor among sessions grouped from interceptions: the earliest-started matching
    /// session with a session id, its initiator and (filtered) start.
    static func groupedSessionCursor(_ condition: String) -> SQLQuery {
        SQLQuery("""
            SELECT initiator_id, MIN(started_at) FROM interception WHERE ended_at IS NOT NULL\(condition) AND session_id = ?
            GROUP BY initiator_id ORDER BY 2, 1 LIMIT 1
            """)
    }

    /// The matching interceptions of a JSON array of `[initiator, session]` pairs (the first
    /// parameter), with their token sums and prompt, in the order `GroupedInterception` reads
    /// them. The pairs drive the join (`CROSS JOIN` keeps them the outer loop on SQLite): each
    /// session is found through `interception_session`, whatever the filter.
    static func groupedSessionRows(_ condition: String) -> SQLQuery {
        SQLQuery(sqlite: """
            SELECT i.initiator_id, i.session_id, i.id, i.started_at, i.ended_at, i.provider, i.model, i.client, i.metadata, i.thread_key,
                   (SELECT COALESCE(SUM(t.input_tokens), 0) FROM token_usage t WHERE t.interception_id = i.id),
                   (SELECT COALESCE(SUM(t.output_tokens), 0) FROM token_usage t WHERE t.interception_id = i.id),
                   p.prompt, p.created_at, p.id
            FROM json_each(?) AS k
            CROSS JOIN interception i INDEXED BY interception_session
                ON i.initiator_id = json_extract(k.value, '$[0]') AND i.session_id = json_extract(k.value, '$[1]')
            LEFT JOIN user_prompt p ON p.interception_id = i.id
            WHERE i.ended_at IS NOT NULL\(condition)
            """, postgres: """
            SELECT i.initiator_id, i.session_id, i.id, i.started_at, i.ended_at, i.provider, i.model, i.client, i.metadata, i.thread_key,
                   (SELECT CAST(COALESCE(SUM(t.input_tokens), 0) AS BIGINT) FROM token_usage t WHERE t.interception_id = i.id),
                   (SELECT CAST(COALESCE(SUM(t.output_tokens), 0) AS BIGINT) FROM token_usage t WHERE t.interception_id = i.id),
                   p.prompt, p.created_at, p.id
            FROM jsonb_array_elements(CAST(? AS jsonb)) AS k(value)
            JOIN interception i ON i.initiator_id = k.value->>0 AND i.session_id = k.value->>1
            LEFT JOIN user_prompt p ON p.interception_id = i.id
            WHERE i.ended_at IS NOT NULL\(condition)
            """)
    }

    // MARK: - Models

    /// Distinct models of the tallies matching a condition, ascending, then `LIMIT ? OFFSET ?`.
    static func models(_ condition: String) -> SQLQuery {
        perDialect { "SELECT DISTINCT model FROM interception_tally \(whereTrue($0))\(condition) ORDER BY model LIMIT ? OFFSET ?" }
    }
    /// `models` condition: one initiator's.
    static let modelsOfInitiator = " AND initiator_id = ?"
    /// `models` condition: a case-sensitive prefix (bound three times; `>=` lets the index
    /// start there). The same text on both dialects: `length` is given a typed argument.
    static let modelPrefix = " AND model >= ? AND substr(model, 1, length(CAST(? AS TEXT))) = ?"
}
