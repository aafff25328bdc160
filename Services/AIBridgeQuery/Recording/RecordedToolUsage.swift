import Foundation

/// One tool_usage row: a tool call the model made.
public struct RecordedToolUsage: Sendable, Equatable {
    /// The row's id.
    public var id: UUID
    /// The provider's response id.
    public var providerResponseID: String
    /// The provider's id of the call (`call_…`, `toolu_…`): a later tool result names it.
    public var providerToolCallID: String
    /// The MCP server's URL for injected tools, else nil.
    public var serverURL: String?
    /// The tool's name.
    public var tool: String
    /// The call's arguments (JSON text).
    public var input: String
    /// Whether the bridge injected the tool (false for the client's own tools).
    public var injected: Bool
    /// The invocation's error, if any.
    public var invocationError: String?
    /// Metadata as a JSON object's text.
    public var metadataJSON: String
    /// When it was recorded.
    public var createdAt: Date

    /// A tool usage.
    public init(id: UUID = UUID(), providerResponseID: String, providerToolCallID: String, serverURL: String? = nil,
                tool: String, input: String, injected: Bool = false, invocationError: String? = nil,
                metadataJSON: String = "{}", createdAt: Date) {
        self.id = id
        self.providerResponseID = providerResponseID
        self.providerToolCallID = providerToolCallID
        self.serverURL = serverURL
        self.tool = tool
        self.input = input
        self.injected = injected
        self.invocationError = invocationError
        self.metadataJSON = metadataJSON
        self.createdAt = createdAt
    }
}
