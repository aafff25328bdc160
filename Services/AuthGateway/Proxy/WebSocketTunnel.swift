import HTTPCore
import Synchronization

/// One `/ws` tunnel after both handshakes: bytes relayed both ways between the client's
/// upgraded connection and the upstream's, on the event loops (two relay tasks, no thread
/// of its own), with back-pressure both ways (a relay reads from one side only as fast
/// as the other takes the bytes). When either side closes, or nothing moves either way
/// for `idleTimeout`, both sides are closed (each after sending what it was given).
/// Frames are not parsed: WebSocket semantics are the endpoints' business.
final class WebSocketTunnel: Sendable {
    /// The upstream's upgraded connection.
    let upstream: UpgradedConnection
    /// The caller's place under the per-user cap, released when the tunnel ends.
    let lease: TunnelLease
    /// Nothing moving either way for this long ends the tunnel (nil: never).
    let idleTimeout: Duration?
    private let started = Atomic<Bool>(false)
    private let lastActivity = Mutex(ContinuousClock.now)

    /// A tunnel to `upstream`, holding `lease`.
    init(upstream: UpgradedConnection, lease: TunnelLease, idleTimeout: Duration?) {
        self.upstream = upstream
        self.lease = lease
        self.idleTimeout = idleTimeout
    }

    /// A tunnel whose 101 never reached the client (it left first) closes its upstream.
    deinit {
        if !started.load(ordering: .relaxed) { upstream.close() }
        lease.release()
    }

    /// Relays until either side ends; returns with both closed and the lease released.
    func run(client: UpgradedConnection) async {
        started.store(true, ordering: .relaxed)
        let upstream = self.upstream
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.relay(from: client.inbound, to: upstream.outbound) }
            group.addTask { await self.relay(from: upstream.inbound, to: client.outbound) }
            if let idleTimeout { group.addTask { await self.watchIdle(idleTimeout) } }
            await group.next()
            upstream.close()
            client.close()
            group.cancelAll()
        }
        lease.release()
    }

    private func relay(from source: RequestBody, to destination: ResponseBodyWriter) async {
        do {
            for try await chunk in source {
                lastActivity.withLock { $0 = .now }
                try await destination.write(chunk)
            }
        } catch {
            // Either side went away: the tunnel ends.
        }
    }

    /// Returns once nothing has moved for `timeout` (or when cancelled).
    private func watchIdle(_ timeout: Duration) async {
        let step = max(timeout / 4, .milliseconds(10))
        while !Task.isCancelled {
            do { try await Task.sleep(for: step) } catch { return }
            if ContinuousClock.now - lastActivity.withLock({ $0 }) >= timeout { return }
        }
    }
}
