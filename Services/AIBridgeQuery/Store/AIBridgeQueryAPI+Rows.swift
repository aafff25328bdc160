import Contracts
import JSON
import Storage

extension AIBridgeQueryAPI.Timestamp {
    /// A time column (microseconds).
    init(column value: Int64) { self.init(microseconds: value) }
}

extension JSONValue {
    /// A metadata column: its JSON object, `{}` when it holds none.
    init(metadata text: String) {
        if let value = try? JSONParser().parse(text), value.object != nil {
            self = value
        } else {
            self = .object(JSONObject())
        }
    }
}

extension AIBridgeQueryAPI.TokenUsage {
    /// A row of `Queries.tokenUsagesOf`.
    init(row: Row) throws {
        self.init(id: try row.get(0), interceptionID: try row.get(1), providerResponseID: try row.get(2), inputTokens: try row.get(3),
                  outputTokens: try row.get(4), metadata: JSONValue(metadata: try row.get(5)),
                  createdAt: .init(column: try row.get(6)))
    }
}

extension AIBridgeQueryAPI.UserPrompt {
    /// A row of `Queries.userPromptsOf`.
    init(row: Row) throws {
        self.init(id: try row.get(0), interceptionID: try row.get(1), providerResponseID: try row.get(2), prompt: try row.get(3),
                  metadata: JSONValue(metadata: try row.get(4)), createdAt: .init(column: try row.get(5)))
    }
}

extension AIBridgeQueryAPI.ToolUsage {
    /// A row of `Queries.toolUsagesOf`.
    init(row: Row) throws {
        self.init(id: try row.get(0), interceptionID: try row.get(1), providerResponseID: try row.get(2),
                  serverURL: try row.get(3, as: String?.self) ?? "", tool: try row.get(4), input: try row.get(5),
                  injected: try row.get(6), invocationError: try row.get(7, as: String?.self) ?? "",
                  metadata: JSONValue(metadata: try row.get(8)), createdAt: .init(column: try row.get(9)))
    }
}

extension AIBridgeQueryAPI.Interception {
    /// A row of `Queries.interceptionPage` (columns `Queries.interceptionColumns`), its
    /// initiator named by `users`, without its usages (added by the caller).
    init(row: Row, users: [String: String]) throws {
        let initiator: String = try row.get(1)
        self.init(id: try row.get(0), apiKeyID: try row.get(7), initiator: .known(initiator, in: users), provider: try row.get(2),
                  model: try row.get(3), client: try row.get(8), metadata: JSONValue(metadata: try row.get(6)),
                  startedAt: .init(column: try row.get(4)), endedAt: try row.get(5, as: Int64?.self).map { .init(column: $0) },
                  tokenUsages: [], userPrompts: [], toolUsages: [])
    }
}

extension AIBridgeQueryAPI.MinimalUser {
    /// The user `id`, named from `users` (the id itself when the service never saw a name).
    static func known(_ id: String, in users: [String: String]) -> AIBridgeQueryAPI.MinimalUser {
        AIBridgeQueryAPI.MinimalUser(id: id, username: users[id] ?? id)
    }
}
