/// Settings of a WebSocket connection (either role).
public struct WebSocketConfiguration: Sendable {
    /// The largest message accepted, all fragments together; a larger one closes the
    /// connection with 1009.
    public var maxMessageBytes = 16 * 1024 * 1024
    /// Received message bytes held for a handler that does not read `messages`; past this,
    /// reading from the socket pauses (and with it ping answers) until it reads.
    public var inboxHighWater = 1024 * 1024
    /// How long to wait for the peer's part of the closing handshake (its close frame, or
    /// a server's TCP close) before the connection is cut.
    public var closeTimeout: Duration = .seconds(5)
    /// Subprotocols a server accepts, in its order of preference (`Sec-WebSocket-Protocol`);
    /// for a client, the ones it offers.
    public var subprotocols: [String] = []

    /// The defaults.
    public init() {}
}
