import JSON

/// A tool the model may call (`tools[]`): a function with a JSON Schema for its arguments.
public struct ChatTool: Codable, Sendable, Equatable {
    /// `function`.
    public var type: String
    /// The function.
    public var function: Function

    /// The function's declaration.
    public struct Function: Codable, Sendable, Equatable {
        /// Its name.
        public var name: String
        /// What it does, for the model.
        public var description: String?
        /// JSON Schema of its arguments.
        public var parameters: JSONValue?
        /// Whether the model must follow the schema exactly.
        public var strict: Bool?

        /// A declaration.
        public init(name: String, description: String? = nil, parameters: JSONValue? = nil, strict: Bool? = nil) {
            self.name = name
            self.description = description
            self.parameters = parameters
            self.strict = strict
        }
    }

    /// A function tool.
    public init(function: Function) {
        type = "function"
        self.function = function
    }
}
