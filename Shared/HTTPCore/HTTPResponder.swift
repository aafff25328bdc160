/// What a server calls for each request, on the connection's event loop thread. It
/// answers through the sink, at once (no task, no thread hop: a proxy's fast path) or
/// later from any thread. `HTTPHandler` closures are responders that start one task
/// per request (`AsyncResponder`), so there is one dispatch path in the server.
public protocol HTTPResponder: Sendable {
    /// Answers `request` by calling `sink.send` exactly once.
    func respond(to request: HTTPRequest, replyingTo sink: ResponseSink)
}

/// Where the response to one request goes. `send` may be called on any thread, exactly
/// once; a response sent after the connection closed is dropped.
public struct ResponseSink: Sendable {
    let connection: ServerConnection
    let generation: UInt64

    /// The loop of the connection: run work for this request here to avoid thread hops.
    public var loop: EventLoop { connection.loop }

    /// Sends the response (its head now, a streamed body as the body produces it).
    public func send(_ response: HTTPResponse) {
        let c = connection, g = generation
        if c.loop.inLoop { c.respond(response, generation: g) } else { c.loop.execute { c.respond(response, generation: g) } }
    }
}

/// An async handler as a responder: one task per request, preferring the
/// connection's loop as its executor (the handler runs on that thread).
public struct AsyncResponder: HTTPResponder {
    let handler: HTTPHandler
    public init(_ handler: @escaping HTTPHandler) { self.handler = handler }

    public func respond(to request: HTTPRequest, replyingTo sink: ResponseSink) {
        let handler = self.handler
        Task(executorPreference: sink.loop) { sink.send(await handler(request)) }
    }
}
