import Synchronization

/// A user's place in its `UserLoad` while a response is streamed back: given back once,
/// when the stream ends or, if the stream never runs (the client left first), when the
/// lease is dropped. Made only for streamed and collected responses; a response that came
/// whole with its head gives the place back at once, without a lease.
final class UserLoadLease: Sendable {
    private let load: UserLoad
    private let released = Atomic<Bool>(false)

    /// A place already taken in `load`.
    init(_ load: UserLoad) { self.load = load }

    /// Gives the place back (later calls do nothing).
    func release() {
        if !released.exchange(true, ordering: .acquiringAndReleasing) { load.leave() }
    }

    deinit { release() }
}
