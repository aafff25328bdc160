import Contracts
import JSON
import Storage

extension AIBridgeStore {
    /// A page of the ended interceptions matching `filter`, newest first (`started_at`
    /// DESC, `id` DESC), with `count` of every match (paging ignored), in one snapshot.
    /// `page.after` is a keyset cursor: the lowercase id of the previous page's last row;
    /// one the caller cannot see (or in flight, or unknown) throws `interceptionCursorNotFound`.
    public func interceptions(_ filter: InterceptionFilter, page: PageRequest) async throws -> AIBridgeQueryAPI.ListInterceptionsResponse {
        try await read { conn in
            var keyset: [any SQLBindable] = []
            if let after = page.after {
                var parameters: [any SQLBindable] = [after]
                if let visible = filter.visibleInitiator { parameters.append(visible) }
                guard let cursor = try conn.queryOne(Queries.interceptionCursor(visibleOnly: filter.visibleInitiator != nil),
                                                     parameters: parameters) else {
                    throw AIBridgeStoreError.interceptionCursorNotFound(after)
                }
                let start: Int64 = try cursor.get(0)
                keyset = [start, start, after]
            }
            let condition = FilterCondition(filter, on: .interception(alias: ""))
            let rows = try conn.query(Queries.interceptionPage(condition.sql, keyset: page.after != nil, index: Queries.ListIndex(filter)),
                                      parameters: condition.parameters + keyset + [page.limit, page.offset])
            let count = try Self.interceptionCount(filter, on: conn)
            let users = try Self.userNames(of: rows.map { try $0.get(1, as: String.self) }, on: conn)
            var results = try rows.map { try AIBridgeQueryAPI.Interception(row: $0, users: users) }
            try Self.attachUsages(to: &results, on: conn)
            return AIBridgeQueryAPI.ListInterceptionsResponse(count: count, results: results)
        }
    }

    /// Every ended interception matching `filter`: from the initiators' tallies without
    /// filters but initiators, from the (initiator, provider, model, client) tallies when no
    /// date bound is set, else counted.
    static func interceptionCount(_ filter: InterceptionFilter, on conn: any SQLConnection) throws -> Int64 {
        if filter.filtersOnlyInitiators {
            let condition = FilterCondition(filter, on: .initiatorTally)
            return try conn.queryOne(Queries.initiatorInterceptionCount(condition.sql), parameters: condition.parameters)?.get(0) ?? 0
        }
        let condition = FilterCondition(filter, on: filter.hasNoDates ? .tally : .interception(alias: ""))
        let sql = filter.hasNoDates ? Queries.tallyCount(condition.sql) : Queries.interceptionCount(condition.sql)
        return try conn.queryOne(sql, parameters: condition.parameters)?.get(0) ?? 0
    }

    /// Fills the token usages, prompts and tool usages of `results`, each list by `created_at`, id.
    static func attachUsages(to results: inout [AIBridgeQueryAPI.Interception], on conn: any SQLConnection) throws {
        guard !results.isEmpty else { return }
        let ids = try jsonList(results.map(\.id))
        var position: [String: Int] = [:]
        for (index, result) in results.enumerated() { position[result.id] = index }
        try conn.forEach(Queries.tokenUsagesOf, parameters: [ids]) { row in
            let usage = try AIBridgeQueryAPI.TokenUsage(row: row)
            if let index = position[usage.interceptionID] { results[index].tokenUsages.append(usage) }
        }
        try conn.forEach(Queries.userPromptsOf, parameters: [ids]) { row in
            let prompt = try AIBridgeQueryAPI.UserPrompt(row: row)
            if let index = position[prompt.interceptionID] { results[index].userPrompts.append(prompt) }
        }
        try conn.forEach(Queries.toolUsagesOf, parameters: [ids]) { row in
            let tool = try AIBridgeQueryAPI.ToolUsage(row: row)
            if let index = position[tool.interceptionID] { results[index].toolUsages.append(tool) }
        }
    }

    /// The names the service knows of `ids`.
    static func userNames(of ids: [String], on conn: any SQLConnection) throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        var names: [String: String] = [:]
        try conn.forEach(Queries.userNames, parameters: [try jsonList(Array(Set(ids)))]) { row in
            names[try row.get(0)] = try row.get(1)
        }
        return names
    }
}
