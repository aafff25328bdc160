import Synchronization

/// The subscribers of each notification channel, and delivery to them: SQLite posts to it
/// after a write commits (one process: notifications stay in it), PostgreSQL's listener
/// thread posts what the server delivers.
final class NotificationHub: Sendable {
    private struct State {
        var subscribers: [String: [Int: AsyncStream<DatabaseNotification>.Continuation]] = [:]
        var nextID = 0
        var closed = false
    }

    private let state = Mutex(State())

    /// A new stream of `channel`'s notifications, and whether it is the channel's first
    /// subscriber. A stream ends when its consumer stops iterating or the hub is closed.
    func subscribe(_ channel: String) -> (stream: AsyncStream<DatabaseNotification>, first: Bool) {
        let (stream, continuation) = AsyncStream<DatabaseNotification>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        let outcome: (id: Int, first: Bool)? = state.withLock { s in
            if s.closed { return nil }
            let id = s.nextID
            s.nextID += 1
            let first = s.subscribers[channel] == nil
            s.subscribers[channel, default: [:]][id] = continuation
            return (id, first)
        }
        guard let outcome else {
            continuation.finish()
            return (stream, false)
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { s in
                s.subscribers[channel]?[outcome.id] = nil
            }
        }
        return (stream, outcome.first)
    }

    /// Channels with at least one subscriber (ever subscribed).
    var channels: [String] { state.withLock { Array($0.subscribers.keys) } }

    /// Delivers `payload` to `channel`'s subscribers.
    func post(channel: String, payload: String) {
        let targets = state.withLock { Array(($0.subscribers[channel] ?? [:]).values) }
        for continuation in targets { continuation.yield(.payload(payload)) }
    }

    /// Tells every subscriber that notifications may have been missed.
    func postPossiblyMissed() {
        let targets = state.withLock { $0.subscribers.values.flatMap { Array($0.values) } }
        for continuation in targets { continuation.yield(.possiblyMissed) }
    }

    /// Ends every stream; later subscriptions get a finished stream.
    func close() {
        let targets = state.withLock { s -> [AsyncStream<DatabaseNotification>.Continuation] in
            s.closed = true
            defer { s.subscribers.removeAll() }
            return s.subscribers.values.flatMap { Array($0.values) }
        }
        for continuation in targets { continuation.finish() }
    }
}
