import HTTPCore
import JSON

/// One connection's loop: the scenario sends its requests through it, and each is timed
/// and recorded here (in this worker's own arrays: no lock on the hot path). One task
/// owns a worker; the runner reads its samples once that task has ended.
public final class Worker {
    /// This worker's number (0…connections-1; -1 for the set-up worker).
    public let index: Int
    /// A tag unique to the run (fixture names carry it so runs never collide).
    public let runID: String
    private let client: HTTPClient
    private let baseURL: String
    private var headers: HTTPHeaders
    private var origin: ContinuousClock.Instant
    private var deadline: ContinuousClock.Instant
    private let counters: LiveCounters?
    /// What was sent, in order.
    private(set) var samples: [Sample] = []
    /// Operation names; a sample's `operation` indexes this.
    private(set) var operations: [String] = []
    private var operationIndex: [String: UInt16] = [:]
    /// Whether requests are recorded (not during set-up and warm-up).
    var recording: Bool

    /// A worker sending to `baseURL` with `headers` on every request (the session), until
    /// `deadline`; times are kept relative to `origin`.
    init(index: Int, runID: String, client: HTTPClient, baseURL: String, headers: HTTPHeaders, origin: ContinuousClock.Instant,
         deadline: ContinuousClock.Instant, counters: LiveCounters?, recording: Bool) {
        self.index = index
        self.runID = runID
        self.client = client
        self.baseURL = baseURL
        self.headers = headers
        self.origin = origin
        self.deadline = deadline
        self.counters = counters
        self.recording = recording
        samples.reserveCapacity(1 << 14)
    }

    /// Starts recording: times are kept relative to `origin`, the loop ends at `deadline`.
    func start(origin: ContinuousClock.Instant, deadline: ContinuousClock.Instant) {
        self.origin = origin
        self.deadline = deadline
        recording = true
    }

    /// Whether the run is still on: a scenario's loop stops when this turns false.
    public var isRunning: Bool { ContinuousClock.now < deadline }

    /// Adds a header sent with every later request of this worker.
    public func setHeader(_ name: String, _ value: String) { headers.set(name, value) }

    /// Sends `body` encoded as JSON.
    @discardableResult
    public func send<Body: Encodable>(_ operation: String, _ method: HTTPMethod, _ path: String, json body: Body,
                                      expect expected: Set<Int> = [200], headers extra: HTTPHeaders = HTTPHeaders()) async -> Reply? {
        let bytes: [UInt8]
        do { bytes = try JSONWriter.encode(body) } catch { return nil }
        var all = extra
        all.set("Content-Type", "application/json")
        return await send(operation, method, path, body: bytes, expect: expected, headers: all)
    }

    /// Sends one request and reads its whole answer; records its start, latency and status
    /// under `operation`. Nil when no response arrived (recorded as status 0), or when the
    /// run is over (nothing sent).
    @discardableResult
    public func send(_ operation: String, _ method: HTTPMethod, _ path: String, body: [UInt8] = [],
                     expect expected: Set<Int> = [200], headers extra: HTTPHeaders = HTTPHeaders()) async -> Reply? {
        // Nothing starts after the deadline (a scenario's cycle may hold several requests).
        if recording && !isRunning { return nil }
        var all = headers
        for (name, value) in extra { all.set(name, value) }
        let request = HTTPClientRequest(method: method, url: baseURL + path, headers: all, body: .bytes(body))
        let started = ContinuousClock.now
        var reply: Reply?
        do {
            let response = try await client.execute(request)
            let answer = try await response.body.collect(upTo: 256 << 20)
            reply = Reply(status: response.status.code, body: answer)
        } catch {
            reply = nil
        }
        let ended = ContinuousClock.now
        if recording {
            let status = reply?.status ?? 0
            let isExpected = expected.contains(status)
            samples.append(Sample(start: Self.nanoseconds(started - origin), latency: Self.nanoseconds(ended - started),
                                  status: Int16(clamping: status), operation: index(of: operation), expected: isExpected))
            counters?.record(expected: isExpected)
        }
        return reply
    }

    private func index(of operation: String) -> UInt16 {
        if let known = operationIndex[operation] { return known }
        let made = UInt16(operations.count)
        operations.append(operation)
        operationIndex[operation] = made
        return made
    }

    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) &* 1_000_000_000 &+ UInt64(max(0, attoseconds / 1_000_000_000))
    }
}
