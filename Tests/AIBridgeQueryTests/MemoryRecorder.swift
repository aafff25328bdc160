import AIBridgeQuery
import Foundation

/// The store as the bridge sees it, in memory (tests only): what was started and finished,
/// in order, and the tool-call lookup the thread lineage needs.
actor MemoryRecorder: InterceptionRecorder {
    private(set) var started: [RecordedInterception] = []
    private(set) var outcomes: [UUID: RecordedOutcome] = [:]
    /// Runs inside `finish`, before the outcome is kept (a test holding the store back).
    private var finishHook: (@Sendable (RecordedOutcome) async -> Void)?
    /// Set: `start` throws (a store that refuses writes).
    private var refusesStarts = false

    func start(_ interception: RecordedInterception) async throws {
        if refusesStarts { throw StoreDown() }
        started.append(interception)
    }

    func finish(_ outcome: RecordedOutcome) async throws {
        if let finishHook { await finishHook(outcome) }
        outcomes[outcome.interceptionID] = outcome
    }

    func toolCallOrigin(providerToolCallID: String) async throws -> ToolCallOrigin? {
        let made = started.reversed().first { interception in
            outcomes[interception.id]?.toolUsages.contains { $0.providerToolCallID == providerToolCallID } ?? false
        }
        return made.map { ToolCallOrigin(interceptionID: $0.id, threadRootID: $0.threadRootID) }
    }

    func setFinishHook(_ hook: @escaping @Sendable (RecordedOutcome) async -> Void) { finishHook = hook }
    func refuseStarts() { refusesStarts = true }

    /// The one interception started so far with its outcome (nil while in flight).
    var only: (RecordedInterception, RecordedOutcome?)? {
        guard started.count == 1, let first = started.first else { return nil }
        return (first, outcomes[first.id])
    }

    /// The latest interception and its outcome.
    var last: (RecordedInterception, RecordedOutcome?)? {
        started.last.map { ($0, outcomes[$0.id]) }
    }

    /// How many interceptions have ended.
    var endedCount: Int { outcomes.count }

    struct StoreDown: Error {}
}
