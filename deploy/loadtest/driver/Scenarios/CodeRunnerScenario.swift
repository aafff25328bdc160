import Contracts

/// code-runner: analysts running code in their sessions. Each connection keeps a warm
/// session (its kernel started before the clock, the built-in dataset loaded) and runs
/// small analyses in it; every 10th request runs in a brand-new session instead, which
/// starts a kernel (and stops the least recently used one beyond `MAX_KERNELS`).
public struct CodeRunnerScenario: Scenario {
    /// No fixtures.
    public typealias Fixture = Void

    public let name = "code-runner"
    public let mix = "execute in the connection's warm session (9 of 10: arithmetic, df.describe(), df.head()), in a new session (1 of 10)"
    public let defaultConnections = 4
    /// The code a warm session runs, in turn.
    static let snippets = [
        "total = sum(range(10_000))\nprint(total)",
        "print(df.describe().round(2).to_string()[:400])",
        "print(df.head(20).to_string()[:400])",
    ]

    /// A scenario.
    public init() {}

    public func prepare(_ setup: Worker, options: LoadOptions) async throws {}

    public func warmUp(_ worker: Worker, _ fixture: Void) async {
        await worker.send("execute warm", .POST, "/code/execute",
                          json: CodeRunnerAPI.ExecuteRequest(code: "print('ready')", sessionID: warmSession(worker)))
    }

    public func run(_ worker: Worker, _ fixture: Void) async {
        let warm = warmSession(worker)
        var count = 0
        while worker.isRunning {
            count += 1
            if count % 10 == 0 {
                let fresh = "lt-\(worker.runID)-w\(worker.index)-new-\(count)"
                await worker.send("execute new session", .POST, "/code/execute",
                                  json: CodeRunnerAPI.ExecuteRequest(code: "print(len(df))", sessionID: fresh))
            } else {
                await worker.send("execute warm", .POST, "/code/execute",
                                  json: CodeRunnerAPI.ExecuteRequest(code: Self.snippets[count % Self.snippets.count], sessionID: warm))
            }
        }
    }

    func warmSession(_ worker: Worker) -> String { "lt-\(worker.runID)-w\(worker.index)" }
}
