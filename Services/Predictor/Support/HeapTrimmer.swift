import CLinux
import Foundation
import ServiceKit
import Synchronization

/// Gives memory freed after a large upload back to the system. glibc keeps freed memory in
/// its arenas (one per thread that allocated it, and uploads are handled on several), so the
/// resident size stayed at its peak after a big upload had been parsed and its model built;
/// `malloc_trim(0)` returns the free pages of every arena. Requests are coalesced: at most one
/// trim is pending, run a second after the latest request (when the upload's request body has
/// been released) on a thread of its own.
final class HeapTrimmer: Sendable {
    private let pending = Atomic<Bool>(false)

    /// A trimmer.
    init() {}

    /// Asks for a trim a second from now (nothing if one is already pending).
    func request() {
        guard !pending.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Task.detached(priority: .background) {
            try? await Task.sleep(for: .seconds(1))
            self.pending.store(false, ordering: .releasing)
            await DedicatedThread.run(name: "predictor-heap-trim") {
                _ = malloc_trim(0)
            }
        }
    }
}
