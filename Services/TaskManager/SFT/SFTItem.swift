import Contracts

/// One generated example, Alpaca style, before it becomes a chat record.
struct SFTItem: Sendable, Equatable {
    /// The task or question.
    var instruction: String
    /// Extra context (may be empty).
    var input: String
    /// The answer.
    var output: String

    /// Shortest instruction kept, in characters.
    static let minInstruction = 10
    /// Shortest output kept, in characters.
    static let minOutput = 20
    /// Items more similar than this to a kept one are dropped (`SimilarityRatio`).
    static let maxSimilarity = 0.85

    /// Long enough to keep.
    var isSubstantial: Bool { instruction.count >= Self.minInstruction && output.count >= Self.minOutput }

    /// The text two items are compared on.
    var comparisonText: String { instruction + "\n" + output }

    /// The OpenAI chat-format record: system, user (instruction, then the input after a
    /// blank line when there is one), assistant (output).
    var record: TaskManagerAPI.SFTRecord {
        TaskManagerAPI.SFTRecord(messages: [
            .init(role: "system", content: "You are a helpful assistant."),
            .init(role: "user", content: input.isEmpty ? instruction : instruction + "\n\n" + input),
            .init(role: "assistant", content: output),
        ])
    }
}
