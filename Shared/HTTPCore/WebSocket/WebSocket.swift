import Crypto
import Synchronization

/// One WebSocket connection (RFC 6455), server or client side, over an upgraded
/// connection on an event loop. Received messages arrive in `messages`; pings are
/// answered by themselves; `send` writes whole messages (one write each, so a pong never
/// lands inside a message's frames except between fragments, where the RFC allows it);
/// `close` runs the closing handshake.
///
/// A reader task (on the connection's loop) parses frames, joins fragments, checks the
/// protocol and fails the connection with the matching code: 1002 for framing errors
/// (an unmasked client frame, reserved bits or opcodes, a bad control frame, a stray
/// continuation, an invalid close code), 1007 for text that is not UTF-8, 1009 for a
/// message over `maxMessageBytes`. After a close frame has been sent, incoming data is
/// discarded until the peer's close frame (or the close timeout); then a server closes
/// the TCP connection at once and a client waits for the server to do so. A framing
/// error that loses the frame boundaries closes the connection right after the close
/// frame.
public final class WebSocket: Sendable {
    /// Which end of the connection this is: it decides the masking (a client masks every
    /// frame it sends, a server requires masked frames) and who closes TCP first.
    public enum Role: Sendable { case server, client }

    /// This end's role.
    public let role: Role
    /// The subprotocol agreed on in the handshake, if any.
    public let subprotocol: String?
    /// Its settings.
    public let configuration: WebSocketConfiguration
    let connection: UpgradedConnection
    private let inbox: WebSocketInbox

    private struct State {
        var closeSent = false
        var closeCode: WebSocketCloseCode?
        var closeReason = ""
        var finished = false
        var finishWaiters: [CheckedContinuation<Void, Never>] = []
        var closeTimer: Task<Void, Never>?
    }
    private let state = Mutex(State())

    init(connection: UpgradedConnection, role: Role, subprotocol: String?, configuration: WebSocketConfiguration) {
        self.connection = connection
        self.role = role
        self.subprotocol = subprotocol
        self.configuration = configuration
        inbox = WebSocketInbox(highWater: configuration.inboxHighWater)
    }

    /// Starts reading (once, right after the handshake).
    func start() {
        Task(executorPreference: connection.loop) { await self.readLoop() }
    }

    // MARK: receiving

    /// The messages received, in order; the sequence ends when the connection closes
    /// (then `closeCode` says how). One consumer at a time.
    public var messages: Messages { Messages(inbox: inbox) }

    /// The received messages as an async sequence.
    public struct Messages: AsyncSequence, Sendable {
        /// A whole message.
        public typealias Element = WebSocketMessage
        let inbox: WebSocketInbox

        /// An iterator over the inbox.
        public func makeAsyncIterator() -> Iterator { Iterator(inbox: inbox) }

        /// Yields each message; nil once the connection has closed.
        public struct Iterator: AsyncIteratorProtocol {
            let inbox: WebSocketInbox
            /// The next message; nil once the connection has closed.
            public mutating func next() async -> WebSocketMessage? { await inbox.next() }
        }
    }

    /// How the connection ended (nil while open; set by the time `messages` ends): the
    /// code of the peer's close frame (1005 when it had none), the code this end sent
    /// when it failed the connection for a protocol violation, or 1006 when the
    /// connection ended without a close frame.
    public var closeCode: WebSocketCloseCode? { state.withLock { $0.closeCode } }
    /// The reason that came with `closeCode`.
    public var closeReason: String { state.withLock { $0.closeReason } }

    /// The phases of the reader.
    private enum ReadPhase {
        /// Messages flow.
        case open
        /// A close frame was sent; waiting for the peer's.
        case closing
        /// Both close frames were exchanged (a client waits for the server's TCP close),
        /// or the framing was lost: bytes are discarded until the connection ends.
        case discarding
    }

    private func readLoop() async {
        var parser = WebSocketFrameParser(expectsMasked: role == .server, maxPayload: configuration.maxMessageBytes)
        var assembler = WebSocketMessageAssembler(maxMessageBytes: configuration.maxMessageBytes)
        var phase = ReadPhase.open
        do {
            for try await chunk in connection.inbound {
                if phase == .discarding { continue }
                parser.append(chunk)
                frames: while phase != .discarding {
                    let frame: WebSocketFrame
                    do {
                        guard let next = try parser.nextFrame() else { break frames }
                        frame = next
                    } catch {
                        // After 1009 the parser skips the frame's payload and stays in step,
                        // so the peer's close frame can still be read. Any other framing
                        // error loses the frame boundaries: the connection closes as soon as
                        // the close frame is sent.
                        if phase == .open { await fail(error) }
                        if error.code == .messageTooBig && phase != .discarding {
                            phase = .closing
                        } else {
                            phase = .discarding
                            connection.close()
                        }
                        continue frames
                    }
                    if phase == .closing {
                        guard frame.opcode == .close else { continue frames }
                        if case .close(let code, let reason)? = try? assembler.consume(frame) {
                            state.withLock {
                                if $0.closeCode == nil { $0.closeCode = code ?? .noStatusReceived; $0.closeReason = reason }
                            }
                        }
                        phase = .discarding
                        closeHandshakeDone()
                        continue frames
                    }
                    let event: WebSocketEvent?
                    do { event = try assembler.consume(frame) } catch {
                        await fail(error)
                        phase = .closing
                        continue frames
                    }
                    switch event {
                    case nil, .pong?:
                        break
                    case .message(let message)?:
                        await inbox.push(message)
                    case .ping(let payload)?:
                        if !state.withLock({ $0.closeSent }) {
                            try? await write(control: .pong, payload: payload)
                        }
                    case .close(let code, let reason)?:
                        state.withLock { $0.closeCode = code ?? .noStatusReceived; $0.closeReason = reason }
                        await sendClose(code: code, reason: reason)
                        phase = .discarding
                        closeHandshakeDone()
                    }
                }
            }
        } catch {
            // The connection ended (reset, closed by this end, or cut by the close timer).
        }
        finish()
    }

    /// Both close frames have been exchanged: a server closes TCP now; a client waits for
    /// the server to (or the close timer).
    private func closeHandshakeDone() {
        inbox.finish()
        if role == .server { connection.close() } else { startCloseTimer() }
    }

    /// Fails the connection for a protocol violation: a close frame with its code, then
    /// the peer's close frame is awaited (with the timer) while its data is discarded.
    private func fail(_ error: WebSocketProtocolError) async {
        state.withLock {
            if $0.closeCode == nil { $0.closeCode = error.code; $0.closeReason = error.reason }
        }
        inbox.finish()
        await sendClose(code: error.code, reason: error.reason)
    }

    /// The reader is done: the connection is closed and everyone waiting is told.
    private func finish() {
        connection.close()
        let (waiters, timer) = state.withLock { s -> ([CheckedContinuation<Void, Never>], Task<Void, Never>?) in
            s.finished = true
            if s.closeCode == nil { s.closeCode = .abnormalClosure }
            let w = s.finishWaiters
            s.finishWaiters = []
            let t = s.closeTimer
            s.closeTimer = nil
            return (w, t)
        }
        inbox.finish()
        timer?.cancel()
        for waiter in waiters { waiter.resume() }
    }

    // MARK: sending

    /// Sends a text message, in fragments of `fragmentSize` bytes when given (cut at
    /// byte offsets: a character may span two fragments, as the RFC allows).
    public func send(text: String, fragmentSize: Int? = nil) async throws {
        try await send(opcode: .text, payload: Array(text.utf8), fragmentSize: fragmentSize)
    }

    /// Sends a binary message, in fragments of `fragmentSize` bytes when given.
    public func send(binary: [UInt8], fragmentSize: Int? = nil) async throws {
        try await send(opcode: .binary, payload: binary, fragmentSize: fragmentSize)
    }

    /// Sends a ping (at most 125 bytes); the peer answers with a pong.
    public func ping(_ payload: [UInt8] = []) async throws {
        precondition(payload.count <= WebSocketFrame.maxControlPayload, "a ping carries at most 125 bytes")
        try checkOpen()
        try await write(control: .ping, payload: payload)
    }

    /// Starts the closing handshake with `code` (one that may be sent: see
    /// `WebSocketCloseCode.isValidOnTheWire`) and `reason` (cut to 123 bytes), and returns
    /// once the connection is closed: the peer answered, or `closeTimeout` passed. Calling
    /// it again, or after the peer closed, just waits for the end.
    public func close(code: WebSocketCloseCode = .normal, reason: String = "") async {
        precondition(code.isValidOnTheWire, "close code \(code) may not be sent")
        await sendClose(code: code, reason: reason)
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let done = state.withLock { s -> Bool in
                if s.finished { return true }
                s.finishWaiters.append(c)
                return false
            }
            if done { c.resume() }
        }
    }

    private func checkOpen() throws(WebSocketClosedError) {
        let closed = state.withLock { s -> WebSocketCloseCode? in s.closeSent || s.finished ? (s.closeCode ?? .abnormalClosure) : nil }
        if let closed { throw WebSocketClosedError(code: closed) }
    }

    private func send(opcode: WebSocketOpcode, payload: [UInt8], fragmentSize: Int?) async throws {
        try checkOpen()
        var out: [UInt8] = []
        if let size = fragmentSize, size > 0, payload.count > size {
            var offset = 0
            while offset < payload.count {
                let end = min(offset + size, payload.count)
                WebSocketFrameWriter.append(opcode: offset == 0 ? opcode : .continuation, fin: end == payload.count,
                                            payload: payload[offset..<end], maskKey: nextMaskKey(), to: &out)
                offset = end
            }
        } else {
            WebSocketFrameWriter.append(opcode: opcode, payload: payload, maskKey: nextMaskKey(), to: &out)
        }
        try await writeFrames(out)
    }

    /// Sends a close frame unless one was sent already, and starts the close timer.
    private func sendClose(code: WebSocketCloseCode?, reason: String) async {
        let first = state.withLock { s -> Bool in
            if s.closeSent || s.finished { return false }
            s.closeSent = true
            return true
        }
        guard first else { return }
        startCloseTimer()
        try? await write(control: .close, payload: WebSocketFrameWriter.closePayload(code: code, reason: reason))
    }

    private func startCloseTimer() {
        let timeout = configuration.closeTimeout, connection = self.connection
        let timer = Task {
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled { connection.close() }
        }
        let stale = state.withLock { s -> Task<Void, Never>? in
            if s.finished { return timer }
            let old = s.closeTimer
            s.closeTimer = timer
            return old
        }
        stale?.cancel()
    }

    private func write(control opcode: WebSocketOpcode, payload: [UInt8]) async throws {
        var out: [UInt8] = []
        WebSocketFrameWriter.append(opcode: opcode, payload: payload, maskKey: nextMaskKey(), to: &out)
        try await writeFrames(out)
    }

    /// Writes serialised frames as they are (tests send broken ones through this).
    func writeFrames(_ bytes: [UInt8]) async throws {
        do {
            try await connection.outbound.write(bytes)
        } catch {
            throw WebSocketClosedError(code: state.withLock { $0.closeCode } ?? .abnormalClosure)
        }
    }

    /// A fresh random key (`SecureRandom`) for each frame a client sends; nil for a server.
    private func nextMaskKey() -> UInt32? {
        guard role == .client else { return nil }
        return UInt32(truncatingIfNeeded: SecureRandom.uint64())
    }
}
