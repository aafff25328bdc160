/// OpenAI's error body, `{"error": {"message", "type", "param", "code"}}`, as an upstream
/// answers a failed request or ends a stream.
public struct OpenAIErrorBody: Codable, Sendable, Equatable {
    /// The error.
    public var error: Detail

    /// The error's fields.
    public struct Detail: Codable, Sendable, Equatable {
        /// What went wrong.
        public var message: String
        /// The kind (`invalid_request_error`, `rate_limit_error`, …).
        public var type: String?
        /// The request field at fault.
        public var param: String?
        /// A code; servers send a string or a number (kept as text).
        public var code: String?

        /// An error.
        public init(message: String, type: String? = nil, param: String? = nil, code: String? = nil) {
            self.message = message
            self.type = type
            self.param = param
            self.code = code
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            message = try container.decodeIfPresent(String.self, forKey: .message) ?? ""
            type = try container.decodeIfPresent(String.self, forKey: .type)
            param = try container.decodeIfPresent(String.self, forKey: .param)
            if let number = try? container.decodeIfPresent(Int.self, forKey: .code) {
                code = String(number)
            } else {
                code = try container.decodeIfPresent(String.self, forKey: .code)
            }
        }

        enum CodingKeys: String, CodingKey {
            case message, type, param, code
        }
    }

    /// An error body.
    public init(error: Detail) { self.error = error }
}
