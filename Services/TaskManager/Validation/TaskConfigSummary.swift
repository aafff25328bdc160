import TOML

/// What the service reads from a task.toml beyond validation.
enum TaskConfigSummary {
    /// `[task].description`, when the text parses and has one.
    static func description(in text: String) -> String? {
        guard let table = try? TOMLParser.parse(text), case .table(let task)? = table["task"],
              case .string(let description)? = task["description"] else { return nil }
        return description
    }
}
