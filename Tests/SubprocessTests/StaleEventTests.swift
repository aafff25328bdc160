#if canImport(Glibc)
import Glibc
#endif
import CLinux
import Synchronization
import Testing
@testable import Subprocess

/// The process monitor drops an event still in its `epoll_wait` batch for a descriptor
/// that a handler earlier in the batch closed and whose number a new registration took:
/// a child's new stdin pipe would otherwise read the old pipe's hang-up and close itself.
@Suite struct StaleEventTests {
    /// Counts its calls; with `onReady`, runs that too (on the monitor thread).
    final class Recorder: MonitorHandler, @unchecked Sendable {
        let calls = Atomic<Int>(0)
        var onReady: (() -> Void)?
        func ready(events: UInt32) {
            calls.add(1, ordering: .relaxed)
            onReady?()
        }
    }

    @Test func aReusedDescriptorNumberGetsNoStaleEvent() async throws {
        let monitor = ProcessMonitor.shared
        var first: [Int32] = [-1, -1], second: [Int32] = [-1, -1]
        #expect(pipe(&first) == 0 && pipe(&second) == 0)
        let secondRead = second[0]
        var byte: UInt8 = 1
        _ = write(first[1], &byte, 1)
        _ = write(second[1], &byte, 1)
        let closer = Recorder(), old = Recorder(), fresh = Recorder()
        let reused = first[0]
        let replaced = Mutex<[Int32]>([])
        closer.onReady = {
            var sink: UInt8 = 0
            _ = read(secondRead, &sink, 1)
            guard replaced.withLock({ $0.isEmpty }) else { return }
            monitor.deregister(fd: reused)
            // dup2 replaces the open descriptor in one step: no moment where another
            // thread (a test running alongside) could be given the number.
            var replacement: [Int32] = [-1, -1]
            _ = pipe(&replacement)
            _ = dup2(replacement[0], reused)
            close(replacement[0])
            replaced.withLock { $0 = [replacement[1]] }
            monitor.register(fd: reused, events: EPOLLIN.rawValue, handler: fresh)
        }
        monitor.execute {
            // `second` first: it is first in the ready list, so its handler runs first.
            monitor.register(fd: secondRead, events: EPOLLIN.rawValue, handler: closer)
            monitor.register(fd: reused, events: EPOLLIN.rawValue, handler: old)
        }
        var waited = 0
        while replaced.withLock({ $0.isEmpty }) && waited < 3000 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(!replaced.withLock { $0.isEmpty })
        // The premise: the closer's event came first, the old one was still pending.
        #expect(old.calls.load(ordering: .relaxed) == 0)
        #expect(fresh.calls.load(ordering: .relaxed) == 0, "the new handler got the old descriptor's event")
        let writeEnd = replaced.withLock { $0 }
        let done = Mutex(false)
        monitor.execute {
            monitor.deregister(fd: reused)
            monitor.deregister(fd: secondRead)
            done.withLock { $0 = true }
        }
        while !done.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        for fd in writeEnd + [reused, first[1], secondRead, second[1]] { close(fd) }
    }
}
