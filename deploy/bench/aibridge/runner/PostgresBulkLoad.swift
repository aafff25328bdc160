import AIBridgeQuery
import Contracts
import Foundation
import Storage

/// Loading a million generated calls into PostgreSQL quickly: the four recorded tables by
/// multi-row INSERTs, then the tables `finish` keeps (sessions, tallies, facets) computed
/// from them in SQL, with the same values `finish` would have kept one call at a time.
enum PostgresBulkLoad {
    /// Rows per INSERT statement.
    static let rowsPerStatement = 1_000

    /// Microseconds since 1970, as the store keeps times.
    static func microseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }

    /// `INSERT INTO table (columns) VALUES (?, …), …` for `rows` rows.
    static func insertSQL(_ table: String, columns: [String], rows: Int) -> String {
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        return "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES " + Array(repeating: tuple, count: rows).joined(separator: ", ")
    }

    /// Inserts `rows` (each the values of `columns`) in statements of `rowsPerStatement`.
    static func insert(_ table: String, columns: [String], rows: [[SQLValue]], on conn: any SQLConnection) throws {
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + rowsPerStatement)]
            try conn.run(insertSQL(table, columns: columns, rows: chunk.count), parameters: chunk.flatMap { $0 } as [any SQLBindable])
            start += chunk.count
        }
    }

    /// The values of one row.
    static func values(_ items: any SQLBindable...) -> [SQLValue] { items.map(\.sqlValue) }

    /// Stores ended calls in the four recorded tables (one transaction).
    static func insert(_ batch: [(interception: RecordedInterception, outcome: RecordedOutcome)], into store: AIBridgeStore) async throws {
        var interceptions: [[SQLValue]] = []
        var tokens: [[SQLValue]] = []
        var prompts: [[SQLValue]] = []
        var tools: [[SQLValue]] = []
        for (call, outcome) in batch {
            let id = call.id.uuidString.lowercased()
            let root = call.threadRootID?.uuidString.lowercased()
            let session = call.clientSessionID.flatMap { $0.isEmpty ? nil : $0 } ?? root ?? id
            interceptions.append(values(id, call.initiatorID, call.provider, call.model, microseconds(call.startedAt), microseconds(outcome.endedAt),
                                  call.metadataJSON, call.apiKeyID, call.client, call.clientSessionID,
                                  call.threadParentID?.uuidString.lowercased(), root, session, root ?? id))
            for usage in outcome.tokenUsages {
                tokens.append(values(usage.id.uuidString.lowercased(), id, usage.providerResponseID, usage.inputTokens, usage.outputTokens,
                               usage.metadataJSON, microseconds(usage.createdAt)))
            }
            if let prompt = outcome.userPrompt {
                prompts.append(values(prompt.id.uuidString.lowercased(), id, prompt.providerResponseID, prompt.prompt, prompt.metadataJSON,
                                microseconds(prompt.createdAt)))
            }
            for tool in outcome.toolUsages {
                tools.append(values(tool.id.uuidString.lowercased(), id, tool.providerResponseID, tool.providerToolCallID, tool.serverURL, tool.tool,
                              tool.input, tool.injected, tool.invocationError, tool.metadataJSON, microseconds(tool.createdAt)))
            }
        }
        try await store.db.write { [interceptions, tokens, prompts, tools] conn in
            try insert("interception", columns: ["id", "initiator_id", "provider", "model", "started_at", "ended_at", "metadata", "api_key_id",
                                                 "client", "client_session_id", "thread_parent_id", "thread_root_id", "session_id", "thread_key"],
                       rows: interceptions, on: conn)
            try insert("token_usage", columns: ["id", "interception_id", "provider_response_id", "input_tokens", "output_tokens", "metadata",
                                                "created_at"], rows: tokens, on: conn)
            try insert("user_prompt", columns: ["id", "interception_id", "provider_response_id", "prompt", "metadata", "created_at"],
                       rows: prompts, on: conn)
            try insert("tool_usage", columns: ["id", "interception_id", "provider_response_id", "provider_tool_call_id", "server_url", "tool",
                                               "input", "injected", "invocation_error", "metadata", "created_at"], rows: tools, on: conn)
        }
    }

    /// The kept tables, from every ended interception (what `finish` keeps call by call):
    /// tallies, facets, and per session its span, first interception, sorted providers and
    /// models, distinct threads, token sums and newest prompt.
    static func keepDerivedTables(store: AIBridgeStore) async throws {
        try await store.db.write { conn in
            try conn.execute("""
                INSERT INTO interception_tally (initiator_id, provider, model, client, interceptions)
                    SELECT initiator_id, provider, model, COALESCE(client, 'Unknown'), COUNT(*) FROM interception
                    WHERE ended_at IS NOT NULL GROUP BY 1, 2, 3, 4;
                INSERT INTO session_facet (initiator_id, session_id, provider, model, client, started_at)
                    SELECT initiator_id, session_id, provider, model, COALESCE(client, 'Unknown'), MIN(started_at) FROM interception
                    WHERE ended_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
                CREATE TEMPORARY TABLE call_tokens AS
                    SELECT interception_id, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens
                    FROM token_usage GROUP BY interception_id;
                CREATE INDEX ON call_tokens (interception_id);
                INSERT INTO session (initiator_id, session_id, started_at, ended_at, first_interception_id, providers, models, threads,
                                     input_tokens, output_tokens, last_prompt_id, last_prompt_at)
                    SELECT i.initiator_id, i.session_id, MIN(i.started_at), MAX(i.ended_at),
                           (array_agg(i.id ORDER BY i.started_at, i.id))[1],
                           to_jsonb(array_agg(DISTINCT i.provider ORDER BY i.provider))::text,
                           to_jsonb(array_agg(DISTINCT i.model ORDER BY i.model))::text,
                           COUNT(DISTINCT i.thread_key),
                           CAST(COALESCE(SUM(t.input_tokens), 0) AS BIGINT), CAST(COALESCE(SUM(t.output_tokens), 0) AS BIGINT),
                           (array_agg(p.id ORDER BY p.created_at DESC, p.id DESC) FILTER (WHERE p.id IS NOT NULL))[1],
                           MAX(p.created_at)
                    FROM interception i
                    LEFT JOIN call_tokens t ON t.interception_id = i.id
                    LEFT JOIN user_prompt p ON p.interception_id = i.id
                    WHERE i.ended_at IS NOT NULL GROUP BY i.initiator_id, i.session_id;
                DROP TABLE call_tokens;
                INSERT INTO initiator_tally (initiator_id, interceptions, sessions)
                    SELECT s.initiator_id,
                           (SELECT CAST(SUM(t.interceptions) AS BIGINT) FROM interception_tally t WHERE t.initiator_id = s.initiator_id),
                           COUNT(*)
                    FROM session s GROUP BY s.initiator_id;
                """)
        }
    }

    /// `VACUUM ANALYZE` of the store's schema (outside a transaction: its own connection).
    static func vacuumAnalyze(url: String) throws {
        let conn = try PostgresConnection(url: url, searchPath: AIBridgeStore.postgresSchema)
        defer { conn.close() }
        for table in ["interception", "token_usage", "user_prompt", "tool_usage", "session", "interception_tally", "initiator_tally",
                      "session_facet", "app_user"] {
            try conn.execute("VACUUM ANALYZE \(table)")
        }
    }
}
