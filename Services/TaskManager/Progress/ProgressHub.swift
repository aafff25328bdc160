import Contracts

/// Progress of long jobs (generate-task, SFT) to the `/ws` connections following them.
///
/// A connection subscribes to job ids of its own user; the job publishes as it goes. The
/// latest message of each recent job is kept (at most `retained` jobs), so a client that
/// subscribes a moment after starting the job still learns where it is. With a `relay`
/// (replicas on one database), what this replica publishes is announced to the others, and
/// what they announce is delivered here (`deliver`).
actor ProgressHub {
    /// A connection's stream of messages.
    typealias Stream = AsyncStream<TaskManagerAPI.ProgressMessage>

    private var subscribers: [JobKey: [Int: Stream.Continuation]] = [:]
    private var connections: [Int: Stream.Continuation] = [:]
    private var latest: [JobKey: TaskManagerAPI.ProgressMessage] = [:]
    private var latestOrder: [JobKey] = []
    private var nextSubscriber = 0
    /// How many jobs' latest messages are kept.
    let retained: Int
    /// The other replicas' hubs, if any.
    let relay: ProgressRelay?

    /// A hub keeping the latest message of `retained` jobs, announcing to `relay`.
    init(retained: Int = 1024, relay: ProgressRelay? = nil) {
        self.retained = retained
        self.relay = relay
    }

    /// A new subscriber id and its stream (it follows nothing yet). Messages beyond 256
    /// unread are dropped, oldest first: a slow reader never holds a job back.
    func connect() -> (id: Int, stream: Stream) {
        nextSubscriber += 1
        let id = nextSubscriber
        let (stream, continuation) = Stream.makeStream(bufferingPolicy: .bufferingNewest(256))
        connections[id] = continuation
        return (id, stream)
    }

    /// Subscriber `id` follows `key`; the job's latest message, if any, is sent at once.
    func subscribe(_ id: Int, to key: JobKey) {
        guard let continuation = connections[id] else { return }
        subscribers[key, default: [:]][id] = continuation
        if let message = latest[key] { continuation.yield(message) }
    }

    /// Subscriber `id` stops following `key`.
    func unsubscribe(_ id: Int, from key: JobKey) {
        subscribers[key]?[id] = nil
        if subscribers[key]?.isEmpty == true { subscribers[key] = nil }
    }

    /// Subscriber `id` is gone.
    func disconnect(_ id: Int) {
        connections[id]?.finish()
        connections[id] = nil
        for key in Array(subscribers.keys) { unsubscribe(id, from: key) }
    }

    /// The latest message of `key`'s job known here, if it is among the recent ones.
    func latest(for key: JobKey) -> TaskManagerAPI.ProgressMessage? { latest[key] }

    /// Sends a job's progress to its subscribers, here and (with a relay) on the other
    /// replicas, and keeps it as the job's latest.
    func publish(_ message: TaskManagerAPI.ProgressMessage, owner: String) async {
        deliver(message, owner: owner)
        await relay?.announce(message, owner: owner)
    }

    /// Sends a job's progress to this replica's subscribers and keeps it as the job's latest.
    func deliver(_ message: TaskManagerAPI.ProgressMessage, owner: String) {
        let key = JobKey(owner: owner, jobID: message.jobId)
        if latest.updateValue(message, forKey: key) == nil {
            latestOrder.append(key)
            if latestOrder.count > retained { latest[latestOrder.removeFirst()] = nil }
        }
        guard let following = subscribers[key] else { return }
        for continuation in following.values { continuation.yield(message) }
    }
}
