#if canImport(Glibc)
import CLinux
import Glibc
#endif
import Synchronization

/// The reading end of a child's stdout or stderr, read by the `ProcessMonitor` into a
/// small queue of chunks that one consumer takes from. Back-pressure: past `highWater`
/// buffered bytes the monitor stops reading until the consumer has taken the queue below
/// `lowWater`, so a child writing faster than it is read blocks in `write`, as with any pipe.
final class PipeReader: MonitorHandler, @unchecked Sendable {
    static let highWater = 256 * 1024
    static let lowWater = 64 * 1024

    private struct State {
        var chunks: [[UInt8]] = []
        var buffered = 0
        var paused = false
        var finished = false
        var waiter: CheckedContinuation<[UInt8]?, Never>?
    }
    private let state = Mutex(State())
    private let monitor: ProcessMonitor
    /// The descriptor, -1 once closed (monitor thread only).
    private var fd: Int32

    /// Takes `fd` (non-blocking); call `start()` on the monitor thread.
    init(fd: Int32, monitor: ProcessMonitor) {
        self.fd = fd
        self.monitor = monitor
    }

    /// Registers with the monitor (monitor thread).
    func start() {
        monitor.register(fd: fd, events: EPOLLIN.rawValue, handler: self)
    }

    func ready(events: UInt32) {
        guard fd >= 0 else { return }
        while true {
            let count = read(fd, monitor.scratch.baseAddress, monitor.scratch.count)
            if count > 0 {
                deliver(Array(UnsafeRawBufferPointer(rebasing: monitor.scratch[0..<count])))
                return
            }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            finish()   // end of file, or an error: the stream ends either way
            return
        }
    }

    /// Hands a chunk to the waiting consumer or queues it (monitor thread).
    private func deliver(_ chunk: [UInt8]) {
        let (waiter, pause) = state.withLock { s -> (CheckedContinuation<[UInt8]?, Never>?, Bool) in
            if let waiter = s.waiter {
                s.waiter = nil
                return (waiter, false)
            }
            s.chunks.append(chunk)
            s.buffered += chunk.count
            if s.buffered >= Self.highWater && !s.paused {
                s.paused = true
                return (nil, true)
            }
            return (nil, false)
        }
        if pause { monitor.modify(fd: fd, events: 0) }
        waiter?.resume(returning: chunk)
    }

    /// Closes the descriptor and ends the stream after what is queued (monitor thread).
    private func finish() {
        if fd >= 0 {
            monitor.deregister(fd: fd)
            close(fd)
            fd = -1
        }
        let waiter = state.withLock { s -> CheckedContinuation<[UInt8]?, Never>? in
            s.finished = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Stops reading: closes this end now (the child gets SIGPIPE/EPIPE if it writes
    /// more) and ends the stream after what is already queued.
    func abandon() {
        monitor.execute { [self] in finish() }
    }

    /// The next chunk, or nil at the end. One consumer at a time.
    func next() async -> [UInt8]? {
        enum Outcome { case chunk([UInt8]), end, wait }
        let take = { (s: inout State) -> (Outcome, Bool) in
            if !s.chunks.isEmpty {
                let chunk = s.chunks.removeFirst()
                s.buffered -= chunk.count
                let resume = s.paused && s.buffered < Self.lowWater
                if resume { s.paused = false }
                return (.chunk(chunk), resume)
            }
            return (s.finished ? .end : .wait, false)
        }
        let (first, resume) = state.withLock { take(&$0) }
        if resume { rearm() }
        switch first {
        case .chunk(let chunk): return chunk
        case .end: return nil
        case .wait: break
        }
        return await withCheckedContinuation { (waiter: CheckedContinuation<[UInt8]?, Never>) in
            let (outcome, resume) = state.withLock { s -> (Outcome, Bool) in
                let result = take(&s)
                if case .wait = result.0 { s.waiter = waiter }
                return result
            }
            if resume { rearm() }
            switch outcome {
            case .chunk(let chunk): waiter.resume(returning: chunk)
            case .end: waiter.resume(returning: nil)
            case .wait: break
            }
        }
    }

    /// Reads again after a pause (the consumer caught up).
    private func rearm() {
        monitor.execute { [self] in
            if fd >= 0 { monitor.modify(fd: fd, events: EPOLLIN.rawValue) }
        }
    }
}
