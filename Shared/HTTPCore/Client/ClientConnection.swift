#if canImport(Glibc)
import CLinux
import Glibc
#endif

/// A request ready to send: its head bytes and body.
struct PreparedRequest: Sendable {
    var head: [UInt8]
    var body: HTTPClientRequest.Body
    var isHEAD: Bool
    var wantsClose: Bool
    var chunkedUpload: Bool
    /// Whether a `101 Switching Protocols` is expected (and turns the connection into a
    /// raw byte stream) rather than refused as a protocol error.
    var upgrade = false
}

/// How a connection reports the outcome of one exchange (on its loop thread).
typealias ExchangeCompletion = @Sendable (Result<HTTPClientResponse, Error>) -> Void

/// Thrown by a reused connection that failed before any response byte arrived
/// (the peer closed it while idle): the request may be retried if idempotent.
struct StaleConnectionError: Error {
    let underlying: HTTPClientError
}

/// One client connection: connects (and for `https://` completes a TLS handshake),
/// writes one request at a time, parses the response and streams its body. Bytes go
/// through its `ClientTransport` (plain or TLS). Confined to its event loop's thread.
final class ClientConnection: EventHandler, @unchecked Sendable {
    let loop: EventLoop
    let pool: ConnectionPool
    private let limits: HTTPLimits
    private let connectTimeoutNS: UInt64
    private let readTimeoutNS: UInt64
    private let idleTimeoutNS: UInt64
    private let highWater: Int
    private let socketCeiling: Int

    private enum State { case fresh, connecting, handshaking, active, idle, closed }
    /// `upgraded`: after a `101` to an upgrade request, raw bytes both ways until closed.
    private enum Phase { case none, head, body, upgraded }
    private var state = State.fresh
    private var phase = Phase.none
    private var fd: Int32 = -1
    private var registered = false
    private var readingPaused = false
    private var wantWrite = false
    private var transport = ClientTransport.plain
    /// TLS: a read waits for the socket to be writable / a write for it to be readable.
    private var readWantsWrite = false
    private var writeWantsRead = false

    // Output.
    private var outBuf: [UInt8] = []
    private var outOffset = 0
    private var writeWaiters: [CheckedContinuation<Void, Error>] = []

    // Current exchange.
    private var generation: UInt64 = 0
    /// Called once with the response head (or why there is none).
    private var completion: ExchangeCompletion?
    private var pendingUpload: RequestBody?
    private var uploading = false
    private var chunkedUpload = false
    private var isHEAD = false
    private var wantsClose = false
    private var reused = false
    private var upgradeRequested = false
    /// Set by an upgraded connection's `close()`: close once the output is sent.
    private var closeWhenFlushed = false
    private var receivedAny = false
    private var keepAlive = false
    private var deadline: UInt64 = 0
    private var connectDeadline: UInt64 = 0
    private var lastActivity: UInt64 = 0

    // Response parsing.
    private var inBuf = ByteBuffer()
    private var scanner = HeadScanner()
    /// The last response's headers: the next response's equal fields reuse their strings.
    private var lastHeaders: HTTPHeaders?
    private var framing = BodyFraming.none
    private var bodyRemaining = 0
    private var chunked = ChunkedDecoder()
    private weak var stream: BodyStream?

    init(loop: EventLoop, pool: ConnectionPool, configuration c: HTTPClientConfiguration) {
        self.loop = loop
        self.pool = pool
        self.limits = c.limits
        self.connectTimeoutNS = c.connectTimeout.nanoseconds
        self.readTimeoutNS = c.readTimeout.nanoseconds
        self.idleTimeoutNS = c.idleTimeout.nanoseconds
        self.highWater = c.bodyHighWater
        self.socketCeiling = c.socketCeiling
    }

    @inline(__always) private func onLoop(_ work: @escaping @Sendable () -> Void) {
        if loop.inLoop { work() } else { loop.execute(work) }
    }

    // MARK: the exchange

    /// Sends `request` (connecting first when new); `completion` gets the response once
    /// its head arrived, on this connection's loop thread. Every path calls it exactly
    /// once (the field is cleared before the call).
    func start(_ request: PreparedRequest, address: SocketAddress?, reused: Bool, deadline: UInt64,
               _ completion: @escaping ExchangeCompletion) {
        guard loop.inLoop else {
            loop.execute { self.start(request, address: address, reused: reused, deadline: deadline, completion) }
            return
        }
        if state == .closed {
            // It closed while idle, after it was taken from the pool.
            completion(.failure(StaleConnectionError(underlying: .remoteClosed)))
            return
        }
        generation &+= 1
        self.completion = completion
        self.reused = reused
        self.deadline = deadline
        isHEAD = request.isHEAD
        wantsClose = request.wantsClose
        chunkedUpload = request.chunkedUpload
        upgradeRequested = request.upgrade
        receivedAny = false
        keepAlive = false
        phase = .head
        scanner.reset()
        lastActivity = loop.now
        if outBuf.isEmpty { outBuf = request.head } else { outBuf.append(contentsOf: request.head) }
        switch request.body {
        case .bytes(let b): if !b.isEmpty { outBuf.append(contentsOf: b) }
        case .stream(let s): pendingUpload = s
        }
        if state == .fresh {
            guard let address else { fail(.connectFailed("no address")); return }
            connect(address)
            return
        }
        state = .active
        flush()
        beginUpload()
    }

    private func connect(_ address: SocketAddress) {
        state = .connecting
        fd = socket(address.family, Sys.sockStream | Sys.sockNonblockCloexec, 0)
        if fd < 0 {
            let code = errno
            failSoon(DescriptorLimit.isExhaustion(code) ? .descriptorLimit : .connectFailed(SystemError("socket", code: code).description))
            return
        }
        // Past the ceiling, the descriptor belongs to the process's reserve: give it back.
        if fd >= socketCeiling { failSoon(.descriptorLimit); return }
        Sys.setOption(fd, Int32(IPPROTO_TCP), 1 /* TCP_NODELAY */, 1)
        let rc = address.withSockAddr { Glibc.connect(fd, $0, $1) }
        if rc == 0 {
            guard loop.register(fd: fd, handler: self) else { failSoon(.ioError("epoll_ctl refused the socket")); return }
            registered = true
            connected()
        } else if errno == EINPROGRESS || errno == EINTR {
            connectDeadline = Sys.now() &+ connectTimeoutNS
            guard loop.register(fd: fd, handler: self, writable: true) else { failSoon(.ioError("epoll_ctl refused the socket")); return }
            registered = true
            wantWrite = true
        } else {
            let code = errno
            loop.execute { self.connectFailed(code) }
        }
    }

    /// Fails the exchange from the loop's queue rather than this call: a failure frees a
    /// pool slot, which starts the next queued request, whose connect may fail at once
    /// too (out of descriptors, refused): failing inline would recurse once per waiter.
    private func failSoon(_ error: HTTPClientError) {
        loop.execute { self.fail(error) }
    }

    private func checkConnect() {
        var err: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 { err = errno }
        if err == 0 {
            wantWrite = false
            loop.modify(fd: fd, readable: true, writable: false)
            connected()
        } else {
            connectFailed(err)
        }
    }

    private func connected() {
        if let tls = pool.tls, case .plain = transport {
            startHandshake(tls)
            return
        }
        state = .active
        lastActivity = Sys.now()
        flush()
        beginUpload()
    }

    // MARK: TLS handshake

    private func startHandshake(_ context: TLSContext) {
        do {
            transport = .tls(try TLSSession(context: context, fd: fd, host: pool.url.host))
        } catch {
            fail(.tls(error))
            return
        }
        state = .handshaking
        connectDeadline = Sys.now() &+ connectTimeoutNS
        continueHandshake()
    }

    /// Drives the handshake on readiness; the request waiting in the buffer goes out once it is done.
    private func continueHandshake() {
        guard case .tls(let session) = transport else { return }
        switch session.handshake() {
        case .done:
            if wantWrite {
                wantWrite = false
                loop.modify(fd: fd, readable: true, writable: false)
            }
            connected()
        case .wantRead:
            if wantWrite {
                wantWrite = false
                loop.modify(fd: fd, readable: true, writable: false)
            }
        case .wantWrite:
            if !wantWrite {
                wantWrite = true
                loop.modify(fd: fd, readable: true, writable: true)
            }
        case .failed(let failure):
            fail(.tls(failure))
        }
    }

    private func connectFailed(_ code: Int32) {
        pool.forgetAddress()
        switch code {
        case ECONNREFUSED: fail(.connectionRefused)
        case ETIMEDOUT: fail(.connectTimeout)
        default: fail(.connectFailed(SystemError("connect", code: code).description))
        }
    }

    // MARK: streamed upload

    private func beginUpload() {
        guard state == .active, let body = pendingUpload else { return }
        pendingUpload = nil
        uploading = true
        let gen = generation
        Task(executorPreference: loop) {
            do {
                for try await chunk in body {
                    try await self.writeUpload(chunk, gen)
                }
                self.onLoop { self.finishUpload(gen) }
            } catch {
                let e = (error as? HTTPClientError) ?? .requestBodyFailed("\(error)")
                self.onLoop { self.uploadFailed(e, gen) }
            }
        }
    }

    private func writeUpload(_ bytes: [UInt8], _ gen: UInt64) async throws {
        if bytes.isEmpty { return }
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, Error>) in
            onLoop {
                guard gen == self.generation, self.uploading, self.state == .active else {
                    c.resume(throwing: HTTPClientError.remoteClosed)
                    return
                }
                if self.chunkedUpload {
                    self.outBuf.append(contentsOf: String(bytes.count, radix: 16).utf8)
                    self.outBuf.append(0x0D); self.outBuf.append(0x0A)
                    self.outBuf.append(contentsOf: bytes)
                    self.outBuf.append(0x0D); self.outBuf.append(0x0A)
                } else {
                    self.outBuf.append(contentsOf: bytes)
                }
                self.flush()
                if self.state == .closed { c.resume(throwing: HTTPClientError.remoteClosed); return }
                if self.outBuf.count - self.outOffset > 256 * 1024 { self.writeWaiters.append(c) } else { c.resume() }
            }
        }
    }

    private func finishUpload(_ gen: UInt64) {
        guard gen == generation, uploading, state == .active else { return }
        uploading = false
        if chunkedUpload { outBuf.append(contentsOf: "0\r\n\r\n".utf8) }
        flush()
        if phase == .none { exchangeDone() }
    }

    private func uploadFailed(_ e: HTTPClientError, _ gen: UInt64) {
        guard gen == generation, uploading, state != .closed else { return }
        uploading = false
        if phase == .none { close(); return }
        fail(e)
    }

    // MARK: reading

    func readable() {
        switch state {
        case .connecting: checkConnect(); return
        case .handshaking: continueHandshake(); return
        case .closed, .fresh: return
        case .active, .idle: break
        }
        if writeWantsRead {
            writeWantsRead = false
            flush()
        }
        let cap = loop.readBuffer.count
        while state != .closed && !readingPaused {
            switch transport.receive(fd, into: loop.readBuffer) {
            case .bytes(let n):
                if state == .idle || phase == .none {
                    // Bytes nobody asked for: the connection is unusable.
                    close()
                    return
                }
                receivedAny = true
                lastActivity = loop.now
                inBuf.append(UnsafeRawBufferPointer(rebasing: loop.readBuffer[0..<n]))
                process()
                if n < cap && !transport.hasBufferedInput { return }
            case .closed:
                peerClosed()
                return
            case .wouldBlock(let wantsWrite):
                if wantsWrite && !readWantsWrite {
                    readWantsWrite = true
                    wantWrite = true
                    loop.modify(fd: fd, readable: !readingPaused, writable: true)
                }
                return
            case .failed(let e):
                fail(e)
                return
            }
        }
    }

    private func peerClosed() {
        if state == .idle || phase == .none { close(); return }
        if phase == .upgraded {
            let s = stream
            stream = nil
            s?.finish()
            close()
            return
        }
        if phase == .body && framing == .untilClose {
            phase = .none
            let s = stream
            keepAlive = false
            exchangeDone()
            s?.finish()
            return
        }
        fail(.remoteClosed)
    }

    /// Parses what arrived: the head, then body bytes.
    private func process() {
        while state == .active {
            switch phase {
            case .none:
                return
            case .head:
                if inBuf.isEmpty { return }
                guard parseHead() else { return }
            case .body:
                feedBody()
                return
            case .upgraded:
                if !inBuf.isEmpty { stream?.push(inBuf.take(inBuf.readable)) }
                updateReadInterest()
                return
            }
        }
    }

    /// Returns true when a head was parsed (and the loop should go on).
    private func parseHead() -> Bool {
        let start = inBuf.readIndex
        let limits = self.limits
        // Handed over (not copied) to the parser, which refills it in place when the last
        // response is done with it; kept when the head is not complete yet.
        var previous = lastHeaders.take()
        defer { if lastHeaders == nil { lastHeaders = previous } }
        let parsed: Result<(ParsedStatusHead, Int)?, HTTPClientError> = inBuf.bytes.withUnsafeBufferPointer { p in
            do {
                guard let end = try scanner.findEnd(p, start: start, limits: limits, isRequest: false) else { return .success(nil) }
                return .success((try parseResponseHead(p, start: start, end: end, limits: limits, previous: previous.take()), end))
            } catch let e as HTTPClientError {
                return .failure(e)
            } catch let e as HTTPParseError {
                return .failure(.invalidResponse(e.reason))
            } catch {
                return .failure(.invalidResponse("malformed head"))
            }
        }
        let head: ParsedStatusHead
        switch parsed {
        case .failure(let e): fail(e); return false
        case .success(nil): return false
        case .success(let r?):
            head = r.0
            lastHeaders = head.headers
            inBuf.skip(r.1 - start)
        }
        let code = head.code
        if code >= 100 && code < 200 && code != 101 {
            // Interim response (100 Continue, 103 Early Hints): the real one follows.
            return true
        }
        if code == 101 {
            if upgradeRequested { beginUpgrade(head) } else { fail(.invalidResponse("unexpected 101 Switching Protocols")) }
            return false
        }
        var alive = head.version == .http1_1
        if head.headers.hasToken("Connection", "close") { alive = false }
        else if head.version == .http1_0 && head.headers.hasToken("Connection", "keep-alive") { alive = true }
        keepAlive = alive && !wantsClose
        if isHEAD || code == 204 || code == 304 {
            framing = .none
        } else {
            do {
                framing = try bodyFraming(headers: head.headers, version: head.version, limits: limits, isRequest: false)
            } catch {
                fail(.invalidResponse((error as? HTTPParseError)?.reason ?? "invalid framing"))
                return false
            }
        }
        let body: RequestBody
        var complete = false
        switch framing {
        case .none:
            body = .empty
            complete = true
        case .length(let n):
            if inBuf.readable >= n {
                body = .bytes(inBuf.take(n))
                complete = true
            } else {
                bodyRemaining = n
                body = makeStream()
            }
        case .chunked:
            chunked = ChunkedDecoder()
            var out: [UInt8] = []
            do {
                if try chunked.decode(&inBuf, into: &out, maxBody: Int.max) {
                    body = .bytes(out)
                    complete = true
                } else {
                    let b = makeStream()
                    stream?.push(out)
                    body = b
                }
            } catch {
                fail(.invalidResponse((error as? HTTPParseError)?.reason ?? "invalid chunked body"))
                return false
            }
        case .untilClose:
            keepAlive = false
            body = makeStream()
            if !inBuf.isEmpty { stream?.push(inBuf.take(inBuf.readable)) }
        }
        let response = HTTPClientResponse(status: HTTPStatus(code), reason: head.reason, version: head.version,
                                          headers: head.headers, body: body)
        let c = completion
        completion = nil
        if complete {
            // Back in the pool before the caller goes on, so its next request can reuse it.
            phase = .none
            exchangeDone()
            c?(.success(response))
        } else {
            phase = .body
            c?(.success(response))
            updateReadInterest()
        }
        return false
    }

    // MARK: upgrade

    /// A `101` answered an upgrade request: the connection leaves HTTP. Bytes after the
    /// head (and all later ones) go to the response's `upgraded.inbound`; writes go out
    /// as they are. No timeout applies any more; the connection is never reused.
    private func beginUpgrade(_ head: ParsedStatusHead) {
        phase = .upgraded
        keepAlive = false
        deadline = 0
        let inbound = makeStream()
        if !inBuf.isEmpty { stream?.push(inBuf.take(inBuf.readable)) }
        let gen = generation
        let connection = UpgradedConnection(inbound: inbound, outbound: ResponseBodyWriter(UpgradedClientSink(connection: self, generation: gen)),
                                            closer: { [self] in onLoop { self.closeAfterFlush(gen) } }, loop: loop)
        var response = HTTPClientResponse(status: HTTPStatus(101), reason: head.reason, version: head.version, headers: head.headers)
        response.upgraded = connection
        let c = completion
        completion = nil
        c?(.success(response))
        updateReadInterest()
    }

    /// Writes raw bytes on an upgraded connection; suspends above 256 KiB unsent.
    func writeUpgraded(_ bytes: [UInt8], generation gen: UInt64) async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, Error>) in
            onLoop {
                guard gen == self.generation, self.phase == .upgraded, self.state == .active, !self.closeWhenFlushed else {
                    c.resume(throwing: HTTPClientError.remoteClosed)
                    return
                }
                if bytes.isEmpty { c.resume(); return }
                self.outBuf.append(contentsOf: bytes)
                self.flush()
                if self.state == .closed { c.resume(throwing: HTTPClientError.remoteClosed); return }
                if self.outBuf.count - self.outOffset > 256 * 1024 { self.writeWaiters.append(c) } else { c.resume() }
            }
        }
    }

    private func closeAfterFlush(_ gen: UInt64) {
        guard gen == generation, phase == .upgraded, state == .active else { return }
        closeWhenFlushed = true
        flush()
    }

    private func makeStream() -> RequestBody {
        let s = BodyStream(loop: loop, highWater: highWater)
        let gen = generation
        s.onDrained = { [weak self] in self?.updateReadInterest() }
        s.onAbandon = { [weak self] in
            guard let self else { return }
            self.onLoop { if self.generation == gen && (self.phase == .body || self.phase == .upgraded) { self.close() } }
        }
        stream = s
        return RequestBody(storage: .stream(s))
    }

    private func feedBody() {
        guard let s = stream else {
            // The consumer dropped the body: the rest cannot be skipped cheaply.
            close()
            return
        }
        switch framing {
        case .length:
            let n = min(bodyRemaining, inBuf.readable)
            if n > 0 {
                s.push(inBuf.take(n))
                bodyRemaining -= n
            }
            if bodyRemaining == 0 {
                phase = .none
                exchangeDone()
                s.finish()
                return
            }
        case .chunked:
            var out: [UInt8] = []
            do {
                let done = try chunked.decode(&inBuf, into: &out, maxBody: Int.max)
                s.push(out)
                if done {
                    phase = .none
                    exchangeDone()
                    s.finish()
                    return
                }
            } catch {
                fail(.invalidResponse((error as? HTTPParseError)?.reason ?? "invalid chunked body"))
                return
            }
        case .untilClose:
            if !inBuf.isEmpty { s.push(inBuf.take(inBuf.readable)) }
        case .none:
            break
        }
        updateReadInterest()
    }

    private func updateReadInterest() {
        guard state == .active || state == .idle else { return }
        let pause = (phase == .body || phase == .upgraded) && (stream?.isFull ?? false)
        if pause != readingPaused {
            readingPaused = pause
            loop.modify(fd: fd, readable: !pause, writable: wantWrite)
            if !pause {
                lastActivity = loop.now
                // Bytes may be waiting in the kernel; level-triggered epoll reports them.
                // Decrypted bytes held by TLS it does not: read them now.
                if transport.hasBufferedInput { loop.execute { self.readable() } }
            }
        }
    }

    /// The response is complete: reuse the connection or close it.
    private func exchangeDone() {
        guard state == .active else { return }
        stream = nil
        if !keepAlive || uploading || !inBuf.isEmpty || pendingUpload != nil {
            close()
            return
        }
        deadline = 0
        state = .idle
        lastActivity = loop.now
        if !pool.release(self) { close() }
    }

    // MARK: writing

    private func flush() {
        guard state == .active else { return }
        let before = outOffset
        let outcome = transport.send(fd, outBuf, &outOffset)
        if outOffset > before { lastActivity = loop.now }
        switch outcome {
        case .drained:
            break
        case .wouldBlock(let wantsRead):
            if wantsRead {
                // TLS must read before it can write on: readable() flushes again.
                writeWantsRead = true
                if readingPaused { loop.modify(fd: fd, readable: true, writable: wantWrite) }
            } else if !wantWrite {
                wantWrite = true
                loop.modify(fd: fd, readable: !readingPaused, writable: true)
            }
            return
        case .peerGone:
            // The peer may have answered (and closed) already: read what is there first.
            outBuf.removeAll(); outOffset = 0
            readable()
            if state != .closed { fail(.remoteClosed) }
            return
        case .failed(let e):
            fail(e)
            return
        }
        // The buffer is usually the prepared request head, still shared with the caller's
        // copy (kept for a retry): drop it rather than clear it in place (a copy).
        outBuf = []
        outOffset = 0
        if wantWrite && !readWantsWrite {
            wantWrite = false
            loop.modify(fd: fd, readable: !readingPaused, writable: false)
        }
        if !writeWaiters.isEmpty {
            let w = writeWaiters
            writeWaiters.removeAll()
            for c in w { c.resume() }
        }
        if closeWhenFlushed { close() }
    }

    func writable() {
        switch state {
        case .connecting: checkConnect()
        case .handshaking: continueHandshake()
        case .active, .idle:
            if readWantsWrite {
                // A TLS read was waiting for this; flush() then drops write interest if done.
                readWantsWrite = false
                readable()
            }
            if state == .active {
                flush()
            } else if state == .idle && wantWrite {
                wantWrite = false
                loop.modify(fd: fd, readable: !readingPaused, writable: false)
            }
        case .fresh, .closed:
            break
        }
    }

    // MARK: timeouts and closing

    func tick(now: UInt64) {
        switch state {
        case .connecting, .handshaking:
            if deadline != 0 && now >= deadline { fail(.timeout) }
            else if now >= connectDeadline { fail(.connectTimeout) }
        case .active:
            if deadline != 0 && now >= deadline { fail(.timeout) }
            else if !readingPaused && (phase == .head || phase == .body) && now > lastActivity &+ readTimeoutNS { fail(.readTimeout) }
        case .idle:
            if now > lastActivity &+ idleTimeoutNS { close() }
        case .fresh, .closed:
            break
        }
    }

    /// Fails the exchange in progress with `error` and closes.
    private func fail(_ error: HTTPClientError) {
        let c = completion
        completion = nil
        let s = stream
        stream = nil
        let stale = reused && !receivedAny && (error == .remoteClosed || { if case .ioError = error { return true }; return false }())
        // Free the pool slot first, so the caller sees a consistent pool when it goes on.
        close()
        c?(.failure(stale ? StaleConnectionError(underlying: error) as Error : error))
        s?.fail(error)
    }

    func close() {
        guard state != .closed else { return }
        let wasFresh = state == .fresh
        state = .closed
        phase = .none
        if registered { loop.deregister(fd: fd); registered = false }
        transport.shutdown()
        transport = .plain
        if fd >= 0 { Glibc.close(fd); fd = -1 }
        let c = completion
        completion = nil
        let s = stream
        stream = nil
        let w = writeWaiters
        writeWaiters.removeAll()
        uploading = false
        pendingUpload = nil
        _ = wasFresh
        pool.connectionClosed(self)
        c?(.failure(reused && !receivedAny ? StaleConnectionError(underlying: .remoteClosed) as Error : HTTPClientError.remoteClosed))
        s?.fail(HTTPClientError.remoteClosed)
        for c in w { c.resume(throwing: HTTPClientError.remoteClosed) }
    }
}

/// A parsed status line and header section.
struct ParsedStatusHead {
    var version: HTTPVersion
    var code: Int
    var reason: String
    var headers: HTTPHeaders
}

/// Parses `HTTP/1.x NNN reason CRLF fields CRLF` in `buf[start..<end]`.
func parseResponseHead(_ buf: UnsafeBufferPointer<UInt8>, start: Int, end: Int, limits: HTTPLimits,
                       previous: consuming HTTPHeaders? = nil) throws -> ParsedStatusHead {
    var lineEnd = start
    while buf[lineEnd] != 0x0D { lineEnd += 1 }
    let len = lineEnd - start
    func at(_ k: Int) -> UInt8 { buf[start + k] }
    guard len >= 12, at(0) == 0x48, at(1) == 0x54, at(2) == 0x54, at(3) == 0x50, at(4) == 0x2F, at(5) == 0x31, at(6) == 0x2E,
          at(8) == 0x20 else {
        throw HTTPClientError.invalidResponse("invalid status line")
    }
    let version: HTTPVersion
    switch at(7) {
    case 0x31: version = .http1_1
    case 0x30: version = .http1_0
    default: throw HTTPClientError.invalidResponse("unsupported HTTP version")
    }
    var code = 0
    for k in 9..<12 {
        let d = at(k)
        guard d >= 0x30 && d <= 0x39 else { throw HTTPClientError.invalidResponse("invalid status code") }
        code = code * 10 + Int(d - 0x30)
    }
    guard code >= 100 else { throw HTTPClientError.invalidResponse("invalid status code") }
    var reason = ""
    if len > 12 {
        guard at(12) == 0x20 else { throw HTTPClientError.invalidResponse("invalid status line") }
        let fv = CharClass.fieldValue
        for k in 13..<len where !fv[Int(at(k))] { throw HTTPClientError.invalidResponse("invalid reason phrase") }
        if len > 13 { reason = String(decoding: UnsafeBufferPointer(rebasing: buf[(start + 13)..<lineEnd]), as: UTF8.self) }
    }
    let headers = try parseFieldLines(buf, from: lineEnd + 2, to: end - 2, limits: limits, previous: consume previous)
    return ParsedStatusHead(version: version, code: code, reason: reason, headers: headers)
}
