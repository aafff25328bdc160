#if canImport(Glibc)
import CLinux
import Glibc
#endif

/// One accepted connection: reads and parses requests, runs the handler, writes
/// responses in order. Confined to its event loop's thread; tasks hop back to it.
final class ServerConnection: EventHandler, BodySink, @unchecked Sendable {
    let fd: Int32
    let loop: EventLoop
    /// Strong, as the listener's: the server outlives every connection it still has open.
    let server: HTTPServer
    let remote: String
    let remoteHost: String
    private var inBuf = ByteBuffer()
    private var outBuf: [UInt8] = []
    private var outOffset = 0
    private var scanner = HeadScanner()
    /// The last request's headers: the next request's equal fields reuse their strings.
    private var lastHeaders: HTTPHeaders?
    /// The last request's target, reused the same way.
    private var lastTarget: String?
    private(set) var closed = false
    private var readingPaused = false
    private var wantWrite = false

    // Request state.
    private var requestActive = false
    private var currentHead: RequestHead?
    private var bodyStream: BodyStream?
    private var bodyRemaining = 0
    private var chunked: ChunkedDecoder?
    private var bodyComplete = true
    private var closeAfterResponse = false
    private var closeWhenFlushed = false
    private var draining = false
    private var responseStarted = false
    private var chunkedOut = false
    private var upgraded = false
    /// Counts requests, so a late response to an earlier one is recognised and dropped.
    private var generation: UInt64 = 0
    /// Inside `process()`: a response sent synchronously by the responder must not
    /// re-enter it (the loop there goes on with the next pipelined request).
    private var processing = false

    // Timing.
    private var headStart: UInt64 = 0
    private var lastActivity: UInt64
    private var lastBodyProgress: UInt64 = 0
    /// The minimum-rate clock of the body being received: when it started (moved on by
    /// the time the handler was not reading), the bytes received, the last tick seen.
    private var bodyStart: UInt64 = 0
    private var bodyReceived = 0
    private var bodyTick: UInt64 = 0
    private var lastWriteProgress: UInt64 = 0
    private var writeWaiters: [CheckedContinuation<Void, Error>] = []

    init(fd: Int32, loop: EventLoop, server: HTTPServer, remote: String) {
        self.fd = fd
        self.loop = loop
        self.server = server
        self.remote = remote
        self.remoteHost = HTTPRequest.host(of: remote)
        lastActivity = Sys.now()
    }

    var config: HTTPServerConfiguration { server.configuration }

    // MARK: reading

    func readable() {
        guard !closed else { return }
        var gotEOF = false
        while true {
            let n = recv(fd, loop.readBuffer.baseAddress, loop.readBuffer.count, 0)
            if n > 0 {
                inBuf.append(UnsafeRawBufferPointer(rebasing: loop.readBuffer[0..<n]))
                if n < loop.readBuffer.count { break }
                if inBuf.readable > config.limits.maxHeaderBytes + 512 * 1024 { break }
            } else if n == 0 {
                gotEOF = true
                break
            } else {
                if errno == EAGAIN || errno == EWOULDBLOCK { break }
                if errno == EINTR { continue }
                close()
                return
            }
        }
        lastActivity = loop.now
        process()
        if gotEOF && !closed { peerClosed() }
    }

    private func peerClosed() {
        if upgraded {
            bodyStream?.finish()
            return
        }
        if !requestActive {
            // A partial request can never complete; an idle connection is just done.
            close()
            return
        }
        if !bodyComplete {
            bodyStream?.fail(ConnectionClosedError())
        }
        // Let the handler finish; its response is discarded if the write fails.
        closeAfterResponse = true
        pauseReading()
    }

    /// Parses and dispatches as much as the input allows.
    private func process() {
        if processing { return }
        processing = true
        defer { processing = false }
        while !closed {
            if closeWhenFlushed {
                // The last response is still being written and the connection closes
                // after it (Connection: close, an unread body): nothing more is parsed.
                pauseReading()
                return
            }
            if upgraded {
                if !inBuf.isEmpty { bodyStream?.push(inBuf.take(inBuf.readable)) }
                updateReadInterest()
                return
            }
            if requestActive {
                feedBody()
                updateReadInterest()
                return
            }
            if inBuf.isEmpty { return }
            if draining { close(); return }
            // Ignore CRLFs before a request line (RFC 9112 §2.2).
            while inBuf.readable >= 2 && inBuf.bytes[inBuf.readIndex] == 0x0D && inBuf.bytes[inBuf.readIndex + 1] == 0x0A {
                inBuf.skip(2)
            }
            if inBuf.isEmpty { return }
            if headStart == 0 { headStart = loop.now }
            let start = inBuf.readIndex
            let limits = config.limits
            // Handed over (not copied) to the parser, which refills it in place when the last
            // request is done with it; kept when the head is not complete yet.
            var previous = lastHeaders.take()
            let previousTarget = lastTarget
            defer { if lastHeaders == nil { lastHeaders = previous } }
            let result: Result<(RequestHead, Int)?, HTTPParseError> = inBuf.bytes.withUnsafeBufferPointer { p in
                do {
                    guard let end = try scanner.findEnd(p, start: start, limits: limits, isRequest: true) else { return .success(nil) }
                    return .success((try parseRequestHead(p, start: start, end: end, limits: limits, previous: previous.take(), previousTarget: previousTarget), end))
                } catch let e as HTTPParseError {
                    return .failure(e)
                } catch {
                    return .failure(HTTPParseError(400, "malformed request"))
                }
            }
            switch result {
            case .failure(let e):
                respondToParseError(e)
                return
            case .success(nil):
                return
            case .success(let parsed?):
                let (head, end) = parsed
                lastHeaders = head.headers
                lastTarget = head.target
                inBuf.skip(end - start)
                headStart = 0
                startRequest(head)
            }
        }
    }

    private func respondToParseError(_ e: HTTPParseError) {
        server.parseErrors.add(1, ordering: .relaxed)
        let body = Array("\(e.reason)\n".utf8)
        var head = "HTTP/1.1 \(e.status) \(HTTPStatus(e.status).reason)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        head += "Date: " + String(decoding: loop.dateCache.current(), as: UTF8.self) + "\r\n\r\n"
        inBuf.clear()
        requestActive = true  // nothing more is parsed
        pauseReading()
        outBuf.append(contentsOf: head.utf8)
        outBuf.append(contentsOf: body)
        closeWhenFlushed = true
        flush()
    }

    private func startRequest(_ head: RequestHead) {
        requestActive = true
        responseStarted = false
        currentHead = head
        closeAfterResponse = !head.keepAlive
        let body: RequestBody
        switch head.framing {
        case .none, .untilClose:
            bodyComplete = true
            body = .empty
        case .length(let n):
            if inBuf.readable >= n {
                bodyComplete = true
                body = .bytes(inBuf.take(n))
            } else {
                let hadBody = !inBuf.isEmpty
                bodyComplete = false
                bodyRemaining = n
                let s = makeBodyStream(expectContinue: head.expectContinue && !hadBody)
                body = RequestBody(storage: .stream(s))
            }
        case .chunked:
            var decoder = ChunkedDecoder()
            var out: [UInt8] = []
            let hadBody = !inBuf.isEmpty
            do {
                if try decoder.decode(&inBuf, into: &out, maxBody: config.limits.maxBodyBytes) {
                    bodyComplete = true
                    body = .bytes(out)
                } else {
                    bodyComplete = false
                    chunked = decoder
                    let s = makeBodyStream(expectContinue: head.expectContinue && !hadBody)
                    s.push(out)
                    body = RequestBody(storage: .stream(s))
                }
            } catch let e as HTTPParseError {
                requestActive = false
                respondToParseError(e)
                return
            } catch { close(); return }
        }
        lastBodyProgress = loop.now
        bodyStart = loop.now
        bodyTick = loop.now
        bodyReceived = 0
        let request = HTTPRequest(method: head.method, target: head.target, version: head.version,
                                  headers: head.headers, body: body, remoteAddress: remote, remoteHost: remoteHost)
        server.requestsServed.add(1, ordering: .relaxed)
        generation &+= 1
        server.responder.respond(to: request, replyingTo: ResponseSink(connection: self, generation: generation))
    }

    /// The response to request number `generation` (loop thread).
    func respond(_ response: HTTPResponse, generation g: UInt64) {
        guard g == generation, requestActive, !responseStarted else { return }
        startResponse(response)
    }

    private func makeBodyStream(expectContinue: Bool) -> BodyStream {
        let s = BodyStream(loop: loop)
        if expectContinue {
            s.onFirstDemand = { [unowned self] in
                guard !self.closed, !self.responseStarted else { return }
                self.outBuf.append(contentsOf: "HTTP/1.1 100 Continue\r\n\r\n".utf8)
                self.flush()
            }
        }
        s.onDrained = { [unowned self] in self.updateReadInterest() }
        bodyStream = s
        return s
    }

    /// Moves received body bytes into the body stream.
    private func feedBody() {
        guard !bodyComplete, let s = bodyStream else { return }
        if inBuf.isEmpty { return }
        lastBodyProgress = loop.now
        let available = inBuf.readable
        defer { bodyReceived &+= available - inBuf.readable }
        if var decoder = chunked {
            var out: [UInt8] = []
            do {
                let done = try decoder.decode(&inBuf, into: &out, maxBody: config.limits.maxBodyBytes)
                chunked = decoder
                s.push(out)
                if done { bodyComplete = true; chunked = nil; s.finish() }
            } catch {
                // The framing is broken: the handler sees the error; the connection closes.
                s.fail(error)
                bodyComplete = true
                chunked = nil
                closeAfterResponse = true
                inBuf.clear()
            }
        } else {
            let n = min(bodyRemaining, inBuf.readable)
            if n > 0 {
                s.push(inBuf.take(n))
                bodyRemaining -= n
            }
            if bodyRemaining == 0 { bodyComplete = true; s.finish() }
        }
    }

    private func updateReadInterest() {
        guard !closed else { return }
        let shouldPause: Bool
        if upgraded {
            shouldPause = bodyStream?.isFull ?? false
        } else if requestActive {
            shouldPause = closeAfterResponse && bodyComplete
                || (bodyStream?.isFull ?? false)
                || inBuf.readable > config.limits.maxHeaderBytes + 64 * 1024
        } else {
            shouldPause = false
        }
        if shouldPause != readingPaused {
            readingPaused = shouldPause
            loop.modify(fd: fd, readable: !shouldPause, writable: wantWrite)
        }
    }

    private func pauseReading() {
        guard !closed, !readingPaused else { return }
        readingPaused = true
        loop.modify(fd: fd, readable: false, writable: wantWrite)
    }

    // MARK: responding

    private func startResponse(_ response: HTTPResponse) {
        guard !closed, let head = currentHead else { return }
        responseStarted = true
        if draining { closeAfterResponse = true }
        // The answer starts before the request body has all arrived: whether the handler
        // will still read the rest is unknown, and if it does not the connection cannot be
        // reused (`responseComplete` closes it). Say so now: a client that pooled the
        // connection on a keep-alive answer would send its next request into the close.
        if !bodyComplete { closeAfterResponse = true }
        let isHead = head.method == .HEAD
        let noBody = response.status.forbidsBody
        var keepAlive = !closeAfterResponse
        var out = outBuf
        outBuf = []
        let status = response.status
        StatusLines.append(status, to: &out)
        var streamLength: Int? = nil
        let fields = response.headers.fields
        for i in fields.indices {  // read in place: no copy (and retain) per field
            switch fields[i].name.utf8.count {
            case 14 where HTTPHeaders.equalsIgnoringCase(fields[i].name, "Content-Length"):
                if case .stream = response.body { streamLength = Int(fields[i].value) } else { continue }
            case 17 where HTTPHeaders.equalsIgnoringCase(fields[i].name, "Transfer-Encoding"):
                continue
            case 10 where HTTPHeaders.equalsIgnoringCase(fields[i].name, "Connection"):
                if status.code != 101 { continue }
            default:
                break
            }
            out.appendUTF8(fields[i].name)
            out.append(0x3A); out.append(0x20)
            out.appendUTF8(fields[i].value)
            out.append(0x0D); out.append(0x0A)
        }
        out.append(contentsOf: "Date: ".utf8)
        out.append(contentsOf: loop.dateCache.current())
        out.append(0x0D); out.append(0x0A)
        if status.code == 101, let upgrade = response.upgrade {
            out.append(0x0D); out.append(0x0A)
            outBuf = out
            startUpgrade(upgrade)
            return
        }
        var streamBody: (@Sendable (ResponseBodyWriter) async throws -> Void)?
        switch response.body {
        case .bytes(let b):
            if !noBody {
                out.append(contentsOf: "Content-Length: ".utf8)
                out.append(contentsOf: String(b.count).utf8)
                out.append(0x0D); out.append(0x0A)
            }
            if !keepAlive { out.append(contentsOf: "Connection: close\r\n".utf8) }
            else if head.version == .http1_0 { out.append(contentsOf: "Connection: keep-alive\r\n".utf8) }
            out.append(0x0D); out.append(0x0A)
            if !isHead && !noBody { out.append(contentsOf: b) }
        case .stream(let body):
            chunkedOut = false
            if noBody || isHead {
                // no body is sent
            } else if streamLength != nil {
                streamBody = body
            } else if head.version == .http1_1 {
                out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
                chunkedOut = true
                streamBody = body
            } else {
                keepAlive = false
                closeAfterResponse = true
                streamBody = body
            }
            if !keepAlive { out.append(contentsOf: "Connection: close\r\n".utf8) }
            else if head.version == .http1_0 { out.append(contentsOf: "Connection: keep-alive\r\n".utf8) }
            out.append(0x0D); out.append(0x0A)
        }
        if !keepAlive { closeAfterResponse = true }
        // `out` starts with what is still unsent of an earlier response (pipelining):
        // `outOffset` already points into it. Swapped, not copied: the buffer keeps one
        // owner, so clearing it after the send keeps its capacity without reallocating.
        swap(&outBuf, &out)
        flush()
        guard let streamBody else {
            responseComplete()
            return
        }
        let writer = ResponseBodyWriter(self)
        Task(executorPreference: loop) {
            let failed: Bool
            do { try await streamBody(writer); failed = false } catch { failed = true }
            let finish: @Sendable () -> Void = {
                if failed {
                    // Mid-stream failure cannot be signalled in-band: cut the connection.
                    self.closeAfterResponse = true
                    self.bodyComplete = true
                    self.chunkedOut = false
                    self.responseComplete(abort: true)
                } else {
                    if self.chunkedOut && !self.closed {
                        self.outBuf.append(contentsOf: "0\r\n\r\n".utf8)
                        self.chunkedOut = false
                    }
                    self.flush()
                    self.responseComplete()
                }
            }
            if self.loop.inLoop { finish() } else { self.loop.execute(finish) }
        }
    }

    private func startUpgrade(_ upgrade: @escaping @Sendable (UpgradedConnection) async -> Void) {
        upgraded = true
        chunkedOut = false
        let s = BodyStream(loop: loop)
        s.onDrained = { [unowned self] in self.updateReadInterest() }
        bodyStream = s
        bodyComplete = true
        flush()
        let conn = UpgradedConnection(inbound: RequestBody(storage: .stream(s)), outbound: ResponseBodyWriter(self),
                                      closer: { [self] in
                                          let closeNow: @Sendable () -> Void = { self.closeWhenFlushed = true; self.flush() }
                                          if self.loop.inLoop { closeNow() } else { self.loop.execute(closeNow) }
                                      }, loop: loop)
        if !inBuf.isEmpty { s.push(inBuf.take(inBuf.readable)) }
        updateReadInterest()
        Task(executorPreference: loop) {
            await upgrade(conn)
            self.loop.execute {
                self.closeWhenFlushed = true
                self.flush()
            }
        }
    }

    /// BodySink: a streamed response writes here (any thread).
    func write(_ bytes: [UInt8]) async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, Error>) in
            let work: @Sendable () -> Void = {
                if self.closed { c.resume(throwing: ConnectionClosedError()); return }
                if bytes.isEmpty { c.resume(); return }
                if self.chunkedOut {
                    self.outBuf.append(contentsOf: String(bytes.count, radix: 16).utf8)
                    self.outBuf.append(0x0D); self.outBuf.append(0x0A)
                    self.outBuf.append(contentsOf: bytes)
                    self.outBuf.append(0x0D); self.outBuf.append(0x0A)
                } else {
                    self.outBuf.append(contentsOf: bytes)
                }
                self.flush()
                if self.closed { c.resume(throwing: ConnectionClosedError()); return }
                if self.outBuf.count - self.outOffset > self.config.writeHighWater {
                    self.writeWaiters.append(c)
                } else {
                    c.resume()
                }
            }
            if loop.inLoop { work() } else { loop.execute(work) }
        }
    }

    private func responseComplete(abort: Bool = false) {
        guard !closed else { return }
        requestActive = false
        currentHead = nil
        if !bodyComplete {
            // The handler did not read the whole body: the stream position is unknown.
            closeAfterResponse = true
            bodyStream?.fail(ConnectionClosedError())
        }
        bodyStream = nil
        chunked = nil
        if abort { close(); return }
        if closeAfterResponse || draining {
            closeWhenFlushed = true
            if outOffset >= outBuf.count { close() }
            return
        }
        headStart = 0
        lastActivity = loop.now
        updateReadInterest()
        if !inBuf.isEmpty { process() }
    }

    // MARK: writing

    private func flush() {
        guard !closed else { return }
        let before = outOffset
        let outcome = sendPending(fd, outBuf, &outOffset)
        if outOffset > before { lastWriteProgress = loop.now }
        switch outcome {
        case .drained:
            break
        case .wouldBlock:
            if !wantWrite {
                wantWrite = true
                lastWriteProgress = loop.now
                loop.modify(fd: fd, readable: !readingPaused, writable: true)
            }
            return
        case .failed:
            close()
            return
        }
        outBuf.removeAll(keepingCapacity: outBuf.capacity <= 1 << 20)
        outOffset = 0
        if wantWrite {
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

    func writable() { flush() }

    // MARK: lifecycle

    func tick(now: UInt64) {
        guard !closed else { return }
        if wantWrite && now > lastWriteProgress &+ config.writeTimeout.nanoseconds {
            close()
            return
        }
        if upgraded { return }
        if !requestActive {
            if headStart != 0 || !inBuf.isEmpty {
                if headStart != 0 && now > headStart &+ config.headerReadTimeout.nanoseconds {
                    respondToParseError(HTTPParseError(408, "request head not received in time"))
                }
            } else if now > lastActivity &+ config.idleTimeout.nanoseconds {
                close()
            }
        } else if !bodyComplete, let s = bodyStream {
            // The handler not reading (back-pressure, 100-continue not yet sent) is not
            // the client's time: both clocks move on with it (else the first tick after
            // the handler drains a full stream, before the paused bytes are read, would
            // see a stall as old as the handler's pause).
            let handlerWaiting = s.isFull || s.onFirstDemand != nil
            if handlerWaiting {
                bodyStart &+= now &- bodyTick
                lastBodyProgress = now
            }
            bodyTick = now
            if !s.isFull && now > lastBodyProgress &+ config.bodyReadTimeout.nanoseconds {
                abandonBody(s, "request body not received in time")
            } else if !handlerWaiting && config.bodyMinimumRate > 0 {
                // mod_reqtimeout's rule: the body timeout, plus a second per
                // `bodyMinimumRate` bytes received.
                let earned = UInt64(min(Double(bodyReceived) / Double(config.bodyMinimumRate) * 1e9, 1e18))
                if now > bodyStart &+ config.bodyReadTimeout.nanoseconds &+ earned {
                    abandonBody(s, "request body arriving too slowly")
                }
            }
        }
    }

    /// Fails the body being received with 408; the connection closes after the response.
    private func abandonBody(_ s: BodyStream, _ reason: String) {
        server.bodyTimeouts.add(1, ordering: .relaxed)
        s.fail(HTTPParseError(408, reason))
        bodyComplete = true
        closeAfterResponse = true
    }

    /// Server shutdown: idle connections close now, busy ones after their response.
    func beginDrain() {
        guard !closed else { return }
        draining = true
        if upgraded { return }
        if !requestActive { close() } else { closeAfterResponse = true }
    }

    func close() {
        guard !closed else { return }
        closed = true
        loop.deregister(fd: fd)
        Glibc.close(fd)
        bodyStream?.fail(ConnectionClosedError())
        bodyStream = nil
        let w = writeWaiters
        writeWaiters.removeAll()
        for c in w { c.resume(throwing: ConnectionClosedError()) }
        server.connectionClosed(on: loop)
    }
}

/// `HTTP/1.1 NNN Reason CRLF`, built once per status code.
enum StatusLines {
    private static let table: [[UInt8]] = (0..<600).map { Array("HTTP/1.1 \($0) \(HTTPStatus($0).reason)\r\n".utf8) }

    @inline(__always)
    static func append(_ status: HTTPStatus, to out: inout [UInt8]) {
        if status.code >= 100 && status.code < 600 {
            out.append(contentsOf: table[status.code])
        } else {
            out.append(contentsOf: "HTTP/1.1 \(status.code) \(status.reason)\r\n".utf8)
        }
    }
}
