/// The bridge scenario's calls, encoded once.
public struct AIBridgeFixture: Sendable {
    /// The OpenAI model name the run's calls use (its interceptions are listed by it).
    public var model: String
    /// An OpenAI chat call.
    public var chat: [UInt8]
    /// The same, streamed.
    public var streamedChat: [UInt8]
    /// An Anthropic messages call.
    public var messages: [UInt8]
}
