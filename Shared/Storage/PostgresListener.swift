import CPostgres
import Foundation
import Synchronization

/// The `LISTEN` side of `PostgresDatabase`: one dedicated connection served by one thread,
/// which sleeps in `poll(2)` on the connection's socket and a wake-up pipe (no spinning, no
/// timeout while connected), reads what arrives (`PQconsumeInput`), and posts each
/// notification (`PQnotifies`) to the hub. Started on the first `listen`.
///
/// Channels are scoped by the database's schema (`LISTEN "<schema>.<channel>"`), so services
/// sharing one database never hear each other. When the connection is lost it is
/// re-established (retrying every half second), every channel is listened to again, and
/// every subscriber gets `.possiblyMissed`.
final class PostgresListener: Sendable {
    private struct Request {
        let channel: String
        let done: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var requests: [Request] = []
        var started = false
        var closed = false
    }

    private let state = Mutex(State())
    private let hub: NotificationHub
    private let scope: String
    private let connect: @Sendable () throws -> PostgresConnection
    private let wakeRead: Int32
    private let wakeWrite: Int32

    /// A listener posting to `hub` the notifications of channels scoped by `scope`, over a
    /// connection made by `connect` when first needed.
    init(hub: NotificationHub, scope: String, connect: @escaping @Sendable () throws -> PostgresConnection) throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw StorageError(kind: .postgres, message: "cannot create the listener's wake-up pipe (errno \(errno))")
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        self.wakeRead = fds[0]
        self.wakeWrite = fds[1]
        self.hub = hub
        self.scope = scope
        self.connect = connect
    }

    /// The server-side channel name of `channel`: `<scope>.<channel>`; throws
    /// `.invalidConfiguration` when that is longer than PostgreSQL's 63-byte identifiers.
    static func scoped(_ channel: String, scope: String?) throws -> String {
        guard let scope else { return channel }
        let scoped = "\(scope).\(channel)"
        if scoped.utf8.count > 63 {
            throw StorageError(kind: .invalidConfiguration,
                               message: "notification channel '\(channel)' is too long for schema '\(scope)' (schema.channel must fit in 63 bytes)")
        }
        return scoped
    }

    /// Returns once the server is listening on `channel` (so a notification committed after
    /// this returns is delivered); throws when the listening connection cannot be made.
    func listen(_ channel: String) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome: (start: Bool, closed: Bool) = state.withLock { s in
                if s.closed { return (false, true) }
                s.requests.append(Request(channel: channel, done: continuation))
                defer { s.started = true }
                return (!s.started, false)
            }
            if outcome.closed {
                continuation.resume(throwing: StorageError(kind: .closed, message: "database is closed"))
                return
            }
            if outcome.start {
                let thread = Thread { [self] in self.run() }
                thread.name = "postgres-listener"
                thread.start()
            }
            wake()
        }
    }

    /// Stops the thread and closes its connection; pending `listen` calls throw `.closed`.
    func close() {
        let started = state.withLock { s -> Bool in
            s.closed = true
            return s.started
        }
        if started {
            wake()  // the thread closes the pipe on its way out
        } else {
            Glibc.close(wakeRead)
            Glibc.close(wakeWrite)
        }
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    private func drainWakeups() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &buffer, buffer.count) > 0 {}
    }

    /// The thread's loop.
    private func run() {
        var connection: PostgresConnection?
        var listening: Set<String> = []
        var connectedBefore = false
        var broken = false
        while true {
            let (closed, requests) = state.withLock { s in
                defer { s.requests.removeAll() }
                return (s.closed, s.requests)
            }
            if closed {
                for request in requests { request.done.resume(throwing: StorageError(kind: .closed, message: "database is closed")) }
                break
            }
            if broken || connection?.isConnected != true {
                do {
                    if let connection {
                        try connection.reconnect()
                    } else {
                        connection = try connect()
                    }
                    for channel in listening { try connection!.execute("LISTEN \"\(try Self.scoped(channel, scope: scope))\"") }
                    if connectedBefore { hub.postPossiblyMissed() }
                    connectedBefore = true
                    broken = false
                } catch {
                    for request in requests { request.done.resume(throwing: error) }
                    waitForWakeup(timeoutMilliseconds: 500, socket: nil)
                    continue
                }
            }
            guard let live = connection, let handle = try? live.rawHandle() else { continue }
            for request in requests {
                do {
                    if !listening.contains(request.channel) {
                        try live.execute("LISTEN \"\(try Self.scoped(request.channel, scope: scope))\"")
                        listening.insert(request.channel)
                    }
                    request.done.resume()
                } catch {
                    request.done.resume(throwing: error)
                }
            }
            deliver(handle)
            let socketReadable = waitForWakeup(timeoutMilliseconds: -1, socket: PQsocket(handle))
            if socketReadable {
                // 0: the connection is gone (the loop's top re-establishes it).
                if PQconsumeInput(handle) == 0 { broken = true }
                deliver(handle)
            }
        }
        connection?.close()
        Glibc.close(wakeRead)
        Glibc.close(wakeWrite)
    }

    /// Sleeps until the wake-up pipe or `socket` is readable (or the timeout passes);
    /// returns whether `socket` is readable.
    @discardableResult
    private func waitForWakeup(timeoutMilliseconds: Int32, socket: Int32?) -> Bool {
        var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        if let socket, socket >= 0 { fds.append(pollfd(fd: socket, events: Int16(POLLIN), revents: 0)) }
        var ready: Int32
        repeat {
            ready = poll(&fds, nfds_t(fds.count), timeoutMilliseconds)
        } while ready < 0 && errno == EINTR
        if fds[0].revents != 0 { drainWakeups() }
        return fds.count > 1 && fds[1].revents != 0
    }

    /// Posts every notification libpq has read.
    private func deliver(_ handle: OpaquePointer) {
        let prefix = scope + "."
        while let notification = PQnotifies(handle) {
            let channel = String(cString: notification.pointee.relname)
            let payload = String(cString: notification.pointee.extra)
            PQfreemem(notification)
            if channel.hasPrefix(prefix) {
                hub.post(channel: String(channel.dropFirst(prefix.count)), payload: payload)
            }
        }
    }
}
