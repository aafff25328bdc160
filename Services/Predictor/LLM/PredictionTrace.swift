import Contracts
import Synchronization

/// Per-request facts the HTTP layer hands to remote models (the engine's `CompletionContext`
/// carries no user) and that models report back (what the llm did), via a task-local.
public final class PredictionTrace: Sendable {
    /// The requesting user (the gateway's identity), if any: the bridge records the llm's
    /// calls under them.
    public let identity: Identity?
    private let outcome = Mutex<String?>(nil)

    /// The requesting user's id, if any.
    public var user: String? { identity?.userID }

    /// A trace for one request by `identity`.
    public init(identity: Identity?) { self.identity = identity }

    /// The llm call's outcome for this request (`ok`, `empty`, `timeout`, `error`), if one was made.
    public var llmOutcome: String? { outcome.withLock { $0 } }

    /// Records the llm call's outcome.
    func setLLMOutcome(_ newOutcome: String) { outcome.withLock { $0 = newOutcome } }

    /// The trace of the current request.
    @TaskLocal public static var current: PredictionTrace?
}
