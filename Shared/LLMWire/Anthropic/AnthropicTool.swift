import JSON

/// A tool the model may use: name, description and a JSON Schema for its input.
public struct AnthropicTool: Codable, Sendable, Equatable {
    /// Its name.
    public var name: String
    /// What it does, for the model.
    public var description: String?
    /// JSON Schema of its input.
    public var inputSchema: JSONValue

    /// A tool.
    public init(name: String, description: String? = nil, inputSchema: JSONValue) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
    }

    enum CodingKeys: String, CodingKey {
        case name, description
        case inputSchema = "input_schema"
    }
}
