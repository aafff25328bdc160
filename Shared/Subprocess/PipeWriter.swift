#if canImport(Glibc)
import CLinux
import Glibc
#endif
import Synchronization

/// The writing end of a child's stdin, written by the `ProcessMonitor` when the pipe has
/// room. Writes queue in order; each resumes its caller once all its bytes are in the pipe.
final class PipeWriter: MonitorHandler, @unchecked Sendable {
    private struct Pending {
        var bytes: [UInt8]
        var offset = 0
        var done: CheckedContinuation<Void, any Error>
    }
    private struct Inbox {
        var writes: [Pending] = []
        var closeRequested = false
        /// No more writes are accepted (closed or broken).
        var refused = false
    }
    private let inbox = Mutex(Inbox())
    private let monitor: ProcessMonitor
    // Monitor-thread state.
    private var fd: Int32
    private var queue: [Pending] = []
    private var closeRequested = false
    private var waitingForRoom = false

    /// Takes `fd` (non-blocking); call `start()` on the monitor thread.
    init(fd: Int32, monitor: ProcessMonitor) {
        self.fd = fd
        self.monitor = monitor
    }

    /// Registers with the monitor for errors only until there is something to write.
    func start() {
        monitor.register(fd: fd, events: 0, handler: self)
    }

    /// Writes all of `bytes`; throws `SubprocessError.brokenPipe` if the child closed its end.
    func write(_ bytes: [UInt8]) async throws {
        if bytes.isEmpty { return }
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            let accepted = inbox.withLock { box -> Bool in
                guard !box.refused && !box.closeRequested else { return false }
                box.writes.append(Pending(bytes: bytes, done: done))
                return true
            }
            if accepted {
                monitor.execute { [self] in flush() }
            } else {
                done.resume(throwing: SubprocessError.brokenPipe)
            }
        }
    }

    /// Closes the child's stdin once everything written so far has gone through.
    func close() {
        inbox.withLock { $0.closeRequested = true }
        monitor.execute { [self] in flush() }
    }

    /// Closes at once, failing writes still queued.
    func abandon() {
        monitor.execute { [self] in
            takeInbox()
            fail()
        }
    }

    func ready(events: UInt32) {
        guard fd >= 0 else { return }
        if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 && queue.isEmpty {
            takeInbox()
            if queue.isEmpty { fail(); return }
        }
        flush()
    }

    private func takeInbox() {
        inbox.withLock { box in
            queue.append(contentsOf: box.writes)
            box.writes.removeAll()
            if box.closeRequested { closeRequested = true; box.refused = true }
        }
    }

    /// Writes what is queued until the pipe is full (monitor thread).
    private func flush() {
        guard fd >= 0 else {
            takeInbox()
            fail()
            return
        }
        takeInbox()
        while !queue.isEmpty {
            let offset = queue[0].offset, descriptor = fd
            let written = queue[0].bytes.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress! + offset, min(raw.count - offset, 1 << 20))
            }
            if written > 0 {
                queue[0].offset += written
                if queue[0].offset == queue[0].bytes.count {
                    queue.removeFirst().done.resume()
                }
                continue
            }
            if written < 0 && errno == EINTR { continue }
            if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                if !waitingForRoom {
                    waitingForRoom = true
                    monitor.modify(fd: fd, events: EPOLLOUT.rawValue)
                }
                return
            }
            fail()   // EPIPE: the child closed its end
            return
        }
        if waitingForRoom {
            waitingForRoom = false
            monitor.modify(fd: fd, events: 0)
        }
        if closeRequested { closeDescriptor() }
    }

    /// Closes the descriptor and fails every queued write (monitor thread).
    private func fail() {
        inbox.withLock { $0.refused = true }
        closeDescriptor()
        let failed = queue
        queue.removeAll()
        for pending in failed { pending.done.resume(throwing: SubprocessError.brokenPipe) }
    }

    private func closeDescriptor() {
        guard fd >= 0 else { return }
        monitor.deregister(fd: fd)
        Glibc.close(fd)
        fd = -1
    }
}
