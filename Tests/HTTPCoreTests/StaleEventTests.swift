#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
import TestSupport
@testable import HTTPCore

/// An event still in the batch `epoll_wait` returned, for a descriptor that a handler
/// earlier in the batch closed and whose number a new registration took, never reaches
/// the new handler (a connecting socket would read it as "connected").
@Suite struct StaleEventTests {
    /// Counts its calls; with `onReadable`, runs that instead (on the loop thread).
    final class Recorder: EventHandler, @unchecked Sendable {
        let readableCalls = Atomic<Int>(0)
        var onReadable: (() -> Void)?
        func readable() {
            readableCalls.add(1, ordering: .relaxed)
            onReadable?()
        }
        func writable() {}
        func tick(now: UInt64) {}
    }

    @Test func aReusedDescriptorNumberGetsNoStaleEvent() async throws {
        let loop = EventLoop(index: 0)
        loop.start()
        defer { loop.stop(); loop.join() }
        var first: [Int32] = [-1, -1], second: [Int32] = [-1, -1]
        #expect(pipe(&first) == 0 && pipe(&second) == 0)
        let secondRead = second[0]
        // Both read ends readable before they are registered: one batch holds both.
        var byte: UInt8 = 1
        _ = write(first[1], &byte, 1)
        _ = write(second[1], &byte, 1)
        let closer = Recorder(), old = Recorder(), fresh = Recorder()
        let reused = first[0]
        let freshPipe = Mutex<[Int32]>([])
        let freshRegistered = Mutex(false)
        closer.onReadable = {
            var sink: UInt8 = 0
            _ = read(secondRead, &sink, 1)
            guard freshPipe.withLock({ $0.isEmpty }) else { return }
            // Put an empty pipe's read end under `reused`'s number (closing the old pipe's).
            loop.deregister(fd: reused)
            // dup2 replaces the open descriptor in one step: no moment where another
            // thread (a test running alongside) could be given the number.
            var replacement: [Int32] = [-1, -1]
            _ = pipe(&replacement)
            _ = dup2(replacement[0], reused)
            close(replacement[0])
            freshPipe.withLock { $0 = [reused, replacement[1]] }
            freshRegistered.withLock { $0 = loop.register(fd: reused, handler: fresh) }
        }
        let registered = Mutex(false)
        loop.execute {
            // `second` first: it is first in the ready list, so its handler runs first.
            loop.register(fd: secondRead, handler: closer)
            loop.register(fd: reused, handler: old)
            registered.withLock { $0 = true }
        }
        // Let a few batches go by (the stale event, if delivered, is in the first).
        let settled = await eventually(timeout: .seconds(30), polling: .milliseconds(10)) {
            !freshPipe.withLock { $0.isEmpty }
        }
        #expect(settled)
        try await Task.sleep(for: .milliseconds(100))
        #expect(fresh.readableCalls.load(ordering: .relaxed) == 0, "the new handler got the old descriptor's event")
        // The premise: the closer's event came first in the batch, so the old handler's
        // event was still pending when its descriptor was closed.
        #expect(old.readableCalls.load(ordering: .relaxed) == 0)
        #expect(closer.readableCalls.load(ordering: .relaxed) >= 1)
        #expect(registered.withLock { $0 })
        #expect(freshRegistered.withLock { $0 })
        let cleanup = freshPipe.withLock { $0 }
        loop.execute {
            loop.deregister(fd: reused)
            loop.deregister(fd: secondRead)
        }
        try await Task.sleep(for: .milliseconds(20))
        for fd in cleanup + [first[1], secondRead, second[1]] { close(fd) }
    }
}
