import Storage

/// The `AND …` conditions of an `InterceptionFilter` on one of the store's tables, with
/// their parameters in order. Only fragments written here go into SQL; values are bound.
struct FilterCondition {
    /// ` AND …` clauses (empty when nothing is filtered).
    var sql = ""
    /// The values of their placeholders.
    var parameters: [any SQLBindable] = []

    /// Which table the conditions are for, and its alias.
    enum Target {
        /// `interception` (every filter).
        case interception(alias: String)
        /// `interception_tally` (initiator, provider, model, client; `Unknown` is stored as is).
        case tally
        /// `session` as `s` (initiator, session id).
        case session
        /// `initiator_tally` (initiator).
        case initiatorTally
        /// `session_facet` (initiator, session id, provider, model, client; `Unknown` stored as is).
        case facet
    }

    /// The conditions of `filter` that `target` has columns for.
    init(_ filter: InterceptionFilter, on target: Target) {
        let prefix: String
        switch target {
        case .interception(let alias): prefix = alias.isEmpty ? "" : alias + "."
        case .session: prefix = "s."
        case .tally, .initiatorTally, .facet: prefix = ""
        }
        add(prefix + "initiator_id = ?", filter.visibleInitiator)
        add(prefix + "initiator_id = ?", filter.initiator)
        switch target {
        case .interception:
            add(prefix + "provider = ?", filter.provider)
            add(prefix + "model = ?", filter.model)
            add("COALESCE(\(prefix)client, '\(Queries.unknownClient)') = ?", filter.client)
            add(prefix + "session_id = ?", filter.sessionID)
            add(prefix + "started_at >= ?", filter.startedAfter?.microseconds)
            add(prefix + "started_at <= ?", filter.startedBefore?.microseconds)
        case .tally:
            add("provider = ?", filter.provider)
            add("model = ?", filter.model)
            add("client = ?", filter.client)
        case .session:
            add(prefix + "session_id = ?", filter.sessionID)
        case .initiatorTally:
            break
        case .facet:
            add("provider = ?", filter.provider)
            add("model = ?", filter.model)
            add("client = ?", filter.client)
            add("session_id = ?", filter.sessionID)
        }
    }

    private mutating func add<Value: SQLBindable>(_ clause: String, _ value: Value?) {
        guard let value else { return }
        sql += " AND " + clause
        parameters.append(value)
    }
}
