/// A tool call in an assistant message (`tool_calls[]`): id, type `function`, the function's
/// name and its arguments as JSON text.
public struct ChatToolCall: Codable, Sendable, Equatable {
    /// The call id (`call_…`); a `tool` message answers it by `tool_call_id`.
    public var id: String
    /// `function`.
    public var type: String
    /// The function and its arguments.
    public var function: Function

    /// The called function.
    public struct Function: Codable, Sendable, Equatable {
        /// Its name.
        public var name: String
        /// Its arguments, JSON text as the model wrote it.
        public var arguments: String

        /// A function call.
        public init(name: String, arguments: String) {
            self.name = name
            self.arguments = arguments
        }
    }

    /// A function tool call.
    public init(id: String, name: String, arguments: String) {
        self.id = id
        type = "function"
        function = Function(name: name, arguments: arguments)
    }

    /// The provider-neutral record.
    public var toolCall: ToolCall { ToolCall(id: id, name: function.name, arguments: function.arguments) }
}
