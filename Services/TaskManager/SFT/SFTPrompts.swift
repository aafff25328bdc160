/// The prompts of an SFT round: the system message, and a user message asking for `count`
/// items in a style, from a piece of the content, as a JSON array, not repeating what exists.
enum SFTPrompts {
    /// Styles, one per round in turn.
    static let styles = ["question-and-answer", "instruction-following", "scenario-based", "analytical"]
    /// Temperatures, one per round in turn.
    static let temperatures = [0.6, 0.8, 0.9, 0.7]

    /// The system message.
    static let system = "You are an expert SFT training data generator."

    /// The user message of a round.
    static func user(count: Int, style: String, content: String, existing: [String]) -> String {
        var text = """
            Generate \(count) high-quality supervised fine-tuning example\(count == 1 ? "" : "s") in a \(style) style from the content below.

            Content:
            \(content)

            Each example has an instruction (a task or question a user could ask about the content), an input (extra context, \
            may be empty) and an output (a complete, correct answer grounded in the content).
            Return ONLY a JSON array of objects with keys: instruction, input, output.
            """
        if !existing.isEmpty {
            text += "\n\nDo NOT repeat or paraphrase these existing instructions:\n" + existing.map { "- " + $0 }.joined(separator: "\n")
        }
        return text
    }
}
