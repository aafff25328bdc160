import Contracts
import JSON
import Storage

extension AIBridgeStore {
    /// A page of sessions, newest first (`started_at` DESC, session id DESC, then
    /// initiator), with `count` of every matching session (paging ignored), in one snapshot.
    /// A session is the ended interceptions of one (session id, initiator) that match
    /// `filter`; its fields are aggregates over those. `page.after` is a session id: the
    /// earliest-started visible session with that id is the cursor (none throws
    /// `sessionCursorNotFound`).
    ///
    /// Without filters on interception fields the kept `session` rows answer; otherwise the
    /// matching interceptions are grouped at query time.
    public func sessions(_ filter: InterceptionFilter, page: PageRequest) async throws -> AIBridgeQueryAPI.ListSessionsResponse {
        try await read { conn in
            var cursor: (initiator: String, startedAt: Int64, sessionID: String)?
            if let after = page.after {
                var parameters: [any SQLBindable] = [after]
                if let visible = filter.visibleInitiator { parameters.append(visible) }
                guard let row = try conn.queryOne(Queries.sessionCursor(visibleOnly: filter.visibleInitiator != nil),
                                                  parameters: parameters) else {
                    throw AIBridgeStoreError.sessionCursorNotFound(after)
                }
                cursor = (initiator: try row.get(0, as: String.self), startedAt: try row.get(1, as: Int64.self), sessionID: after)
            }
            if filter.filtersOnlySessionKeys {
                return try Self.keptSessions(filter, page: page, cursor: cursor, on: conn)
            }
            return try Self.groupedSessions(filter, page: page, cursor: cursor, on: conn)
        }
    }

    /// Sessions from the kept rows (filters on the group keys only).
    static func keptSessions(_ filter: InterceptionFilter, page: PageRequest,
                             cursor: (initiator: String, startedAt: Int64, sessionID: String)?,
                             on conn: any SQLConnection) throws -> AIBridgeQueryAPI.ListSessionsResponse {
        let condition = FilterCondition(filter, on: .session)
        var keyset: [any SQLBindable] = []
        if let cursor { keyset = [cursor.startedAt, cursor.startedAt, cursor.sessionID, cursor.sessionID, cursor.initiator] }
        let rows = try conn.query(Queries.sessionPage(condition.sql, keyset: cursor != nil),
                                  parameters: condition.parameters + keyset + [page.limit, page.offset])
        let count: Int64
        if filter.sessionID == nil {
            let tally = FilterCondition(filter, on: .initiatorTally)
            count = try conn.queryOne(Queries.sessionTallyCount(tally.sql), parameters: tally.parameters)?.get(0) ?? 0
        } else {
            count = try conn.queryOne(Queries.sessionCount(condition.sql), parameters: condition.parameters)?.get(0) ?? 0
        }
        let users = try userNames(of: rows.map { try $0.get(0, as: String.self) }, on: conn)
        let sessions = try rows.map { row in
            AIBridgeQueryAPI.Session(
                id: try row.get(1), initiator: .known(try row.get(0), in: users),
                providers: SessionRow.names(try row.get(4)), models: SessionRow.names(try row.get(5)),
                client: try row.get(9), metadata: JSONValue(metadata: try row.get(10)),
                startedAt: AIBridgeQueryAPI.Timestamp(column: try row.get(2)), endedAt: AIBridgeQueryAPI.Timestamp(column: try row.get(3)),
                threads: try row.get(6),
                tokenUsageSummary: .init(inputTokens: try row.get(7), outputTokens: try row.get(8)), lastPrompt: try row.get(11))
        }
        return AIBridgeQueryAPI.ListSessionsResponse(count: count, sessions: sessions)
    }

    /// Sessions grouped at query time: from the facets matching `filter` when it sets no
    /// date, else from the matching interceptions; the page's sessions are then folded from
    /// their matching interceptions.
    static func groupedSessions(_ filter: InterceptionFilter, page: PageRequest,
                                cursor: (initiator: String, startedAt: Int64, sessionID: String)?,
                                on conn: any SQLConnection) throws -> AIBridgeQueryAPI.ListSessionsResponse {
        let byFacet = filter.hasNoDates
        let condition = FilterCondition(filter, on: byFacet ? .facet : .interception(alias: ""))
        // A model filter is selective enough for its own index; any other filter reads the
        // covering session index in group order.
        let covering = filter.model == nil
        var keyset: [any SQLBindable] = []
        if let cursor {
            // The cursor's place among the filtered sessions: the earliest-started matching
            // session with that id (its filtered start), else the kept one.
            let cursorSQL = byFacet ? Queries.facetSessionCursor(condition.sql) : Queries.groupedSessionCursor(condition.sql)
            var place = (initiator: cursor.initiator, startedAt: cursor.startedAt)
            if let row = try conn.queryOne(cursorSQL, parameters: condition.parameters + [cursor.sessionID]) {
                place = (try row.get(0, as: String.self), try row.get(1, as: Int64.self))
            }
            keyset = [place.startedAt, place.startedAt, cursor.sessionID, cursor.sessionID, place.initiator]
        }
        let pageSQL = byFacet
            ? Queries.facetSessionPage(condition.sql, keyset: cursor != nil)
            : Queries.groupedSessionPage(condition.sql, keyset: cursor != nil, covering: covering)
        let keys = try conn.query(pageSQL, parameters: condition.parameters + keyset + [page.limit, page.offset])
        guard let firstKey = keys.first else {
            let countSQL = byFacet ? Queries.facetSessionCount(condition.sql) : Queries.groupedSessionCount(condition.sql, covering: covering)
            let count: Int64 = try conn.queryOne(countSQL, parameters: condition.parameters)?.get(0) ?? 0
            return AIBridgeQueryAPI.ListSessionsResponse(count: count, sessions: [])
        }
        let count: Int64 = try firstKey.get(3)

        var order: [SessionKey] = []
        for key in keys { order.append(SessionKey(initiatorID: try key.get(0), sessionID: try key.get(1))) }
        let pairs = String(decoding: try JSONWriter.encode(order.map { [$0.initiatorID, $0.sessionID] }), as: UTF8.self)
        let rowCondition = FilterCondition(filter, on: .interception(alias: "i"))
        var groups: [SessionKey: SessionAggregate] = [:]
        try conn.forEach(Queries.groupedSessionRows(rowCondition.sql), parameters: [pairs] + rowCondition.parameters) { row in
            let key = SessionKey(initiatorID: try row.get(0), sessionID: try row.get(1))
            groups[key, default: SessionAggregate()].add(try GroupedInterception(row: row))
        }
        let users = try userNames(of: order.map(\.initiatorID), on: conn)
        let sessions = order.compactMap { key in
            groups[key].map { $0.session(key, initiator: .known(key.initiatorID, in: users)) }
        }
        return AIBridgeQueryAPI.ListSessionsResponse(count: count, sessions: sessions)
    }
}
