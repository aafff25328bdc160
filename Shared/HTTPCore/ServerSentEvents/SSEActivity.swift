import Synchronization

/// A body sink that notes whether anything was written since the heartbeat last looked,
/// so a heartbeat comment is sent only on an idle stream.
final class SSEActivity: BodySink {
    private let target: ResponseBodyWriter
    private let wrote = Atomic<Bool>(false)

    init(_ target: ResponseBodyWriter) { self.target = target }

    func write(_ bytes: [UInt8]) async throws {
        wrote.store(true, ordering: .relaxed)
        try await target.write(bytes)
    }

    /// True when nothing was written since the last call (and resets the mark).
    func idleSinceLastCheck() -> Bool { !wrote.exchange(false, ordering: .relaxed) }
}

extension SSEWriter {
    /// A writer that records activity for the heartbeat.
    init(_ activity: SSEActivity) { self.init(ResponseBodyWriter(activity)) }
}
