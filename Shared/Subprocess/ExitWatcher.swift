#if canImport(Glibc)
import CLinux
import Glibc
#endif
import Synchronization

/// Watches one child's pidfd and reaps it the moment it exits, whether or not anyone
/// waits: no zombies. Signals to the child or its group go through here, under the same
/// lock as the reaping, so a signal is never sent to a pid (or group id) that has been
/// reaped and may belong to another process by now.
final class ExitWatcher: MonitorHandler, @unchecked Sendable {
    let pid: pid_t
    private let leadsGroup: Bool
    private let killGroupOnExit: Bool
    private let monitor: ProcessMonitor
    private var pidfd: Int32   // monitor thread only

    private struct State {
        var status: ExitStatus?
        var waiters: [CheckedContinuation<ExitStatus, Never>] = []
    }
    private let state = Mutex(State())

    /// Watches `pid` through `pidfd`; call `start()` on the monitor thread.
    init(pid: pid_t, pidfd: Int32, leadsGroup: Bool, killGroupOnExit: Bool, monitor: ProcessMonitor) {
        self.pid = pid
        self.pidfd = pidfd
        self.leadsGroup = leadsGroup
        self.killGroupOnExit = killGroupOnExit
        self.monitor = monitor
    }

    /// Registers the pidfd (monitor thread).
    func start() {
        monitor.register(fd: pidfd, events: EPOLLIN.rawValue, handler: self)
    }

    func ready(events: UInt32) {
        guard pidfd >= 0 else { return }
        let reaped = state.withLock { s -> (ExitStatus, [CheckedContinuation<ExitStatus, Never>])? in
            // The leader is a zombie now: its pid, and so the group id, is still ours.
            if killGroupOnExit && leadsGroup { _ = kill(-pid, SIGKILL) }
            var raw: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(pid, &raw, WNOHANG) } while result < 0 && errno == EINTR
            if result == 0 { return nil }   // not yet: a stale event for a reused descriptor
            let status = result == pid ? ExitStatus(waitStatus: raw) : .exited(code: -1)
            s.status = status
            defer { s.waiters.removeAll() }
            return (status, s.waiters)
        }
        guard let (status, waiters) = reaped else { return }
        monitor.deregister(fd: pidfd)
        close(pidfd)
        pidfd = -1
        for waiter in waiters { waiter.resume(returning: status) }
    }

    /// The exit status once reaped, else nil.
    var status: ExitStatus? { state.withLock { $0.status } }

    /// Waits for the exit.
    func wait() async -> ExitStatus {
        if let status = self.status { return status }
        return await withCheckedContinuation { waiter in
            let done = state.withLock { s -> ExitStatus? in
                if let status = s.status { return status }
                s.waiters.append(waiter)
                return nil
            }
            if let done { waiter.resume(returning: done) }
        }
    }

    /// Sends `signal` to the child's group when it leads one and `group` is asked, else
    /// to the child alone. False once the child has been reaped (nothing is sent).
    func send(_ signal: Int32, toGroup group: Bool) -> Bool {
        state.withLock { s in
            guard s.status == nil else { return false }
            return kill(group && leadsGroup ? -pid : pid, signal) == 0
        }
    }
}
