import Foundation
import JSON
import Storage

extension AIBridgeStore: InterceptionRecorder {
    /// Stores a new interception, in flight (`ended_at` NULL), with its derived session id
    /// and thread key. A second `start` with the same id throws `duplicateInterception`.
    public func start(_ interception: RecordedInterception) async throws {
        do {
            try await write { conn in try Self.insert(interception, on: conn) }
        } catch let error as StorageError where error.isUniqueViolation {
            throw AIBridgeStoreError.duplicateInterception(interception.id)
        }
    }

    /// Sets `ended_at` and stores the usages, the prompt and the tool calls, and updates the
    /// session and tallies, in one transaction. Finishing an interception already ended
    /// changes nothing (`ended_at` is set once); an unknown one throws `unknownInterception`.
    public func finish(_ outcome: RecordedOutcome) async throws {
        try await write { conn in try Self.finish(outcome, on: conn) }
    }

    /// The newest tool usage with `providerToolCallID`: its interception and that one's root.
    public func toolCallOrigin(providerToolCallID: String) async throws -> ToolCallOrigin? {
        try await read { conn in
            guard let row = try conn.queryOne(Queries.toolCallOrigin, providerToolCallID) else { return nil }
            return ToolCallOrigin(interceptionID: try row.get(0, as: UUID.self), threadRootID: try row.get(1, as: UUID?.self))
        }
    }

    /// Records whole calls (start and finish of each) in one transaction, through the same
    /// statements as `start` and `finish` (bulk loads: the benchmark, imports).
    public func record(batch: [(interception: RecordedInterception, outcome: RecordedOutcome)]) async throws {
        try await write { conn in
            for call in batch {
                try Self.insert(call.interception, on: conn)
                try Self.finish(call.outcome, on: conn)
            }
        }
    }

    /// The session id of an interception: the client's session id, else the thread root,
    /// else its own id.
    static func sessionID(of interception: RecordedInterception) -> String {
        if let client = interception.clientSessionID, !client.isEmpty { return client }
        return (interception.threadRootID ?? interception.id).lowercased
    }

    static func insert(_ interception: RecordedInterception, on conn: any SQLConnection) throws {
        let client = interception.client.flatMap { $0.isEmpty ? nil : $0 }
        let clientSession = interception.clientSessionID.flatMap { $0.isEmpty ? nil : $0 }
        try conn.run(Queries.insertInterception, parameters: [
            interception.id.lowercased, interception.initiatorID, interception.provider, interception.model,
            interception.startedAt.microsecondsSince1970, interception.metadataJSON, interception.apiKeyID, client, clientSession,
            interception.threadParentID?.lowercased, interception.threadRootID?.lowercased, sessionID(of: interception),
            (interception.threadRootID ?? interception.id).lowercased,
        ])
    }

    static func finish(_ outcome: RecordedOutcome, on conn: any SQLConnection) throws {
        let id = outcome.interceptionID.lowercased
        guard let row = try conn.queryOne(Queries.interceptionToFinish, id) else {
            throw AIBridgeStoreError.unknownInterception(outcome.interceptionID)
        }
        if try row.get("ended_at", as: Int64?.self) != nil { return }
        let ended = outcome.endedAt.microsecondsSince1970
        try conn.run(Queries.endInterception, ended, id)
        var input: Int64 = 0
        var output: Int64 = 0
        for usage in outcome.tokenUsages {
            input += usage.inputTokens
            output += usage.outputTokens
            try conn.run(Queries.insertTokenUsage, parameters: [
                usage.id.lowercased, id, usage.providerResponseID, usage.inputTokens, usage.outputTokens, usage.metadataJSON,
                usage.createdAt.microsecondsSince1970,
            ])
        }
        if let prompt = outcome.userPrompt {
            try conn.run(Queries.insertUserPrompt, parameters: [
                prompt.id.lowercased, id, prompt.providerResponseID, prompt.prompt, prompt.metadataJSON, prompt.createdAt.microsecondsSince1970,
            ])
        }
        for tool in outcome.toolUsages {
            try conn.run(Queries.insertToolUsage, parameters: [
                tool.id.lowercased, id, tool.providerResponseID, tool.providerToolCallID, tool.serverURL, tool.tool, tool.input,
                tool.injected, tool.invocationError, tool.metadataJSON, tool.createdAt.microsecondsSince1970,
            ])
        }
        let ending = EndingInterception(
            id: id, initiatorID: try row.get("initiator_id"), sessionID: try row.get("session_id"), threadKey: try row.get("thread_key"),
            provider: try row.get("provider"), model: try row.get("model"), client: try row.get("client"),
            startedAt: try row.get("started_at"), endedAt: ended, inputTokens: input, outputTokens: output,
            prompt: outcome.userPrompt.map { (at: $0.createdAt.microsecondsSince1970, id: $0.id.lowercased) })
        try conn.run(Queries.tallyInterception, ending.initiatorID, ending.provider, ending.model, ending.client ?? Queries.unknownClient)
        try conn.run(Queries.tallyInitiatorInterception, ending.initiatorID)
        try conn.run(Queries.facetInterception, parameters: [
            ending.initiatorID, ending.sessionID, ending.provider, ending.model, ending.client ?? Queries.unknownClient, ending.startedAt,
        ])
        try updateSession(with: ending, on: conn)
    }

    /// Folds a newly ended interception into its session's row (made when it is the first).
    static func updateSession(with ending: EndingInterception, on conn: any SQLConnection) throws {
        guard let row = try conn.queryOne(Queries.sessionToUpdate, ending.initiatorID, ending.sessionID) else {
            try conn.run(Queries.insertSession, parameters: [
                ending.initiatorID, ending.sessionID, ending.startedAt, ending.endedAt, ending.id, try jsonList([ending.provider]),
                try jsonList([ending.model]), 1, ending.inputTokens, ending.outputTokens, ending.prompt?.id, ending.prompt?.at,
            ])
            try conn.run(Queries.tallySession, ending.initiatorID)
            return
        }
        var session = try SessionRow(row: row)
        let newThread = try conn.queryOne(Queries.threadSeen, ending.initiatorID, ending.sessionID, ending.threadKey, ending.id) == nil
        session.fold(ending, newThread: newThread)
        try conn.run(Queries.updateSession, parameters: [
            session.startedAt, session.endedAt, session.firstInterceptionID, try jsonList(session.providers), try jsonList(session.models),
            session.threads, session.inputTokens, session.outputTokens, session.lastPromptID, session.lastPromptAt,
            ending.initiatorID, ending.sessionID,
        ])
    }

    /// A sorted list of names as the JSON text the session row keeps.
    static func jsonList(_ names: [String]) throws -> String {
        String(decoding: try JSONWriter.encode(names), as: UTF8.self)
    }
}
