#if canImport(Glibc)
import CLinux
import Glibc
#endif
import Synchronization

/// A request handler: gets a request, returns a response. Runs on the connection's
/// event loop (as task executor); it may await anything.
public typealias HTTPHandler = @Sendable (HTTPRequest) async -> HTTPResponse

/// An HTTP/1.1 server over non-blocking sockets and epoll event loops.
public final class HTTPServer: @unchecked Sendable {
    /// Its settings.
    public let configuration: HTTPServerConfiguration
    let responder: any HTTPResponder
    let group: EventLoopGroup
    private let listenFD = Mutex<Int32>(-1)
    private let boundPort = Atomic<Int>(0)
    let activeConnections = Atomic<Int>(0)
    /// Requests handed to the handler so far.
    public let requestsServed = Atomic<Int>(0)
    /// Requests rejected by the parser so far.
    public let parseErrors = Atomic<Int>(0)
    /// Connections answered 503 and closed at accept so far: over `maxConnections`, at
    /// the descriptor ceiling, or arriving during shutdown.
    public let connectionsRefused = Atomic<Int>(0)
    /// Times accepting paused because the process or system was out of descriptors.
    public let acceptPauses = Atomic<Int>(0)
    /// Request bodies cut off with 408: stalled for `bodyReadTimeout`, or slower than
    /// `bodyMinimumRate`.
    public let bodyTimeouts = Atomic<Int>(0)
    private let accepting = Atomic<Bool>(false)

    /// Makes a server whose handler runs as one task per request; call `start()` to bind.
    public convenience init(configuration: HTTPServerConfiguration, group: EventLoopGroup = .shared, handler: @escaping HTTPHandler) {
        self.init(configuration: configuration, group: group, responder: AsyncResponder(handler))
    }

    /// Makes a server that calls `responder` on the connection's loop; call `start()` to bind.
    public init(configuration: HTTPServerConfiguration, group: EventLoopGroup = .shared, responder: any HTTPResponder) {
        self.configuration = configuration
        self.group = group
        self.responder = responder
    }

    /// The bound port (after `start()`).
    public var port: Int { boundPort.load(ordering: .relaxed) }

    /// Open connections now.
    public var connectionCount: Int { activeConnections.load(ordering: .relaxed) }
    /// Whether the listening socket is open (from `start` until shutdown closes it).
    var isListening: Bool { listenFD.withLock { $0 >= 0 } }

    /// Binds and starts accepting on every loop.
    public func start() throws {
        if let failure = group.loops.lazy.compactMap(\.setupFailure).first { throw failure }
        let addr = try SocketAddress.resolve(host: configuration.host, port: configuration.port)
        let fd = socket(addr.family, Sys.sockStream | Sys.sockNonblockCloexec, 0)
        guard fd >= 0 else { throw SystemError("socket") }
        Sys.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        if addr.family == AF_INET6 { Sys.setOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 0) }
        let rc = addr.withSockAddr { bind(fd, $0, $1) }
        guard rc == 0 else {
            let e = SystemError("bind \(addr)")
            Glibc.close(fd)
            throw e
        }
        guard listen(fd, configuration.backlog) == 0 else {
            let e = SystemError("listen")
            Glibc.close(fd)
            throw e
        }
        var ss = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutablePointer(to: &ss) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &len) }
        }
        boundPort.store(SocketAddress(storage: ss, length: len).port, ordering: .relaxed)
        listenFD.withLock { $0 = fd }
        accepting.store(true, ordering: .relaxed)
        for loop in group.loops {
            let listener = Listener(fd: fd, loop: loop, server: self)
            loop.execute { listener.register() }
        }
    }

    /// Called by connections on close (their loop's thread).
    func connectionClosed(on loop: EventLoop) {
        loop.serverConnections.subtract(1, ordering: .relaxed)
        activeConnections.subtract(1, ordering: .relaxed)
    }

    /// The loop of the group serving the fewest connections (`preferred` on a tie).
    func leastLoadedLoop(preferring preferred: EventLoop) -> EventLoop {
        var best = preferred
        var least = preferred.serverConnections.load(ordering: .relaxed)
        for l in group.loops where l !== preferred {
            let n = l.serverConnections.load(ordering: .relaxed)
            if n < least { best = l; least = n }
        }
        return best
    }

    /// Stops accepting, lets in-flight requests finish (closing each connection after
    /// its response), closes idle connections, and after `gracePeriod` closes the rest.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        accepting.store(false, ordering: .relaxed)
        for loop in group.loops {
            loop.execute {
                loop.forEachHandler { h in
                    if let l = h as? Listener, l.server === self { l.deregister() }
                    if let c = h as? ServerConnection, c.server === self { c.beginDrain() }
                }
            }
        }
        let deadline = ContinuousClock.now + gracePeriod
        while activeConnections.load(ordering: .relaxed) > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        if activeConnections.load(ordering: .relaxed) > 0 {
            for loop in group.loops {
                loop.execute {
                    loop.forEachHandler { h in
                        if let c = h as? ServerConnection, c.server === self { c.close() }
                    }
                }
            }
            let hard = ContinuousClock.now + .seconds(1)
            while activeConnections.load(ordering: .relaxed) > 0 && ContinuousClock.now < hard {
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        // Every loop has deregistered the listener by now; close it once.
        let fd = listenFD.withLock { fd -> Int32 in let f = fd; fd = -1; return f }
        if fd >= 0 {
            // Make sure all loops processed the deregistration before closing.
            for loop in group.loops {
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in loop.execute { c.resume() } }
            }
            Glibc.close(fd)
        }
    }

    /// Accepts on one loop; the listening socket is shared by all loops (EPOLLEXCLUSIVE).
    /// Out of descriptors, it stops waking for the socket until the next tick (about a
    /// quarter second) instead of spinning on a readiness it cannot consume.
    final class Listener: EventHandler, @unchecked Sendable {
        let fd: Int32
        let loop: EventLoop
        /// Strong: a server its loops still serve stays alive until `shutdown()`
        /// deregisters them, even when its owner let go of it first (unowned crashed then).
        let server: HTTPServer
        private var registered = false
        /// Paused after running out of descriptors: accepting resumes at the next tick.
        private var paused = false

        init(fd: Int32, loop: EventLoop, server: HTTPServer) {
            self.fd = fd
            self.loop = loop
            self.server = server
        }

        func register() {
            guard server.accepting.load(ordering: .relaxed) else { return }
            registered = true
            loop.registerExclusive(fd: fd, handler: self)
        }

        func deregister() {
            guard registered else { return }
            registered = false
            paused = false
            loop.deregister(fd: fd)
        }

        func readable() {
            guard !paused else { return }
            let configuration = server.configuration
            for _ in 0..<64 {
                var ss = sockaddr_storage()
                var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let cfd = withUnsafeMutablePointer(to: &ss) { p in
                    p.withMemoryRebound(to: sockaddr.self, capacity: 1) { clinux_accept4(fd, $0, &len, Sys.sockNonblockCloexec) }
                }
                if cfd < 0 {
                    let code = errno
                    if code == EINTR || code == ECONNABORTED { continue }
                    // Out of descriptors: the connection stays in the backlog, and a
                    // level-triggered socket would wake this loop again at once.
                    if DescriptorLimit.isExhaustion(code) { pause() }
                    return  // EAGAIN: nothing more to accept
                }
                let count = server.activeConnections.add(1, ordering: .relaxed).newValue
                if count > configuration.maxConnections || cfd >= configuration.socketCeiling
                    || !server.accepting.load(ordering: .relaxed) {
                    server.activeConnections.subtract(1, ordering: .relaxed)
                    refuse(cfd)
                    continue
                }
                Sys.setOption(cfd, Int32(IPPROTO_TCP), 1 /* TCP_NODELAY */, 1)
                let remote = SocketAddress(storage: ss, length: len).description
                // The loop with the fewest connections serves it: whichever loop woke up to
                // accept a burst of connections, the work is spread over every core.
                let target = server.leastLoadedLoop(preferring: loop)
                target.serverConnections.add(1, ordering: .relaxed)
                let conn = ServerConnection(fd: cfd, loop: target, server: server, remote: remote)
                if target === loop {
                    if !loop.register(fd: cfd, handler: conn) { conn.close() }
                } else {
                    target.execute { if !target.register(fd: cfd, handler: conn) { conn.close() } }
                }
            }
        }

        /// Answers a connection the server will not serve with a 503 and closes it. The
        /// bytes the client already sent are read first, so the close is a FIN the client
        /// reads the answer before, not a reset that discards it.
        private func refuse(_ cfd: Int32) {
            server.connectionsRefused.add(1, ordering: .relaxed)
            var answer = Array(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 19\r\nRetry-After: 1\r\nConnection: close\r\nDate: ").utf8)
            answer.append(contentsOf: loop.dateCache.current())
            answer.append(contentsOf: "\r\n\r\nserver overloaded\r\n".utf8)
            _ = answer.withUnsafeBytes { Glibc.send(cfd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
            Glibc.shutdown(cfd, Int32(SHUT_WR))
            _ = recv(cfd, loop.readBuffer.baseAddress, loop.readBuffer.count, Int32(MSG_DONTWAIT))
            Glibc.close(cfd)
        }

        private func pause() {
            guard registered, !paused else { return }
            paused = true
            server.acceptPauses.add(1, ordering: .relaxed)
            loop.unwatch(fd: fd)
        }

        func writable() {}

        func tick(now: UInt64) {
            guard paused else { return }
            paused = false
            if registered && server.accepting.load(ordering: .relaxed) { loop.watchExclusive(fd: fd) }
        }
    }
}
