/// One service's load: the fixtures it needs, made once, and the loop each connection runs.
public protocol Scenario: Sendable {
    /// What `prepare` makes, shared read-only by every worker.
    associatedtype Fixture: Sendable
    /// The name on the command line and in the result.
    var name: String { get }
    /// The mix, in a line (shown with the table).
    var mix: String { get }
    /// Connections when `--connections` is not given.
    var defaultConnections: Int { get }
    /// Makes the fixtures through `setup` (its requests are not recorded).
    func prepare(_ setup: Worker, options: LoadOptions) async throws -> Fixture
    /// Gets a connection ready before the clock starts (a kernel warmed, say); not recorded.
    func warmUp(_ worker: Worker, _ fixture: Fixture) async
    /// Sends requests through `worker` while `worker.isRunning`.
    func run(_ worker: Worker, _ fixture: Fixture) async
}

extension Scenario {
    /// Nothing to warm by default.
    public func warmUp(_ worker: Worker, _ fixture: Fixture) async {}
}
