/// Anthropic's error body, `{"type": "error", "error": {"type", "message"}}`, as an upstream
/// answers a failed request or sends an `error` event mid-stream.
public struct AnthropicErrorBody: Codable, Sendable, Equatable {
    /// `error`.
    public var type: String
    /// The error.
    public var error: Detail

    /// The error's fields.
    public struct Detail: Codable, Sendable, Equatable {
        /// `invalid_request_error`, `overloaded_error`, `rate_limit_error`, …
        public var type: String
        /// What went wrong.
        public var message: String

        /// An error.
        public init(type: String, message: String) {
            self.type = type
            self.message = message
        }
    }

    /// An error body.
    public init(error: Detail) {
        type = "error"
        self.error = error
    }
}
