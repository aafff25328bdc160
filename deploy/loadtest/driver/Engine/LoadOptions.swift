/// What one load test run is asked to do (`aidevtools-loadtest SCENARIO [options]`).
public struct LoadOptions: Sendable {
    /// The scenario's name (`predictor`, `task-manager`, `orchestrator`, `aibridge-query`, `code-runner`).
    public var scenario: String
    /// The gateway's base URL (`http://host:port`).
    public var url = "http://127.0.0.1:8080"
    /// An API key of a user with the roles user, admin and compute.
    public var key = ""
    /// How long requests are sent, in seconds.
    public var duration = 30.0
    /// Concurrent connections (closed loop: each sends its next request when the last answered); nil: the scenario's default.
    public var connections: Int?
    /// Where `<scenario>.json` is written.
    public var outputDirectory = "."
    /// A directory of Python files (the predictor's requests are made from them).
    public var corpus: String?

    /// The usage text.
    public static let usage = """
        usage: aidevtools-loadtest SCENARIO --key API_KEY [--url GATEWAY_URL] [--duration SECONDS]
                                   [--connections N] [--out DIR] [--corpus PYTHON_DIR]
        scenarios: \(ScenarioCatalog.names.joined(separator: ", "))
        """

    /// Options with defaults for `scenario`.
    public init(scenario: String) { self.scenario = scenario }

    /// Parses the command line (without the program name).
    public static func parse(_ arguments: [String]) throws(LoadTestError) -> LoadOptions {
        guard let first = arguments.first, !first.hasPrefix("-") else { throw .usage("a scenario is required") }
        var options = LoadOptions(scenario: first)
        var index = 1
        while index < arguments.count {
            let flag = arguments[index]
            guard index + 1 < arguments.count else { throw .usage("\(flag) needs a value") }
            let value = arguments[index + 1]
            switch flag {
            case "--url": options.url = value.hasSuffix("/") ? String(value.dropLast()) : value
            case "--key": options.key = value
            case "--duration":
                guard let seconds = Double(value), seconds > 0 else { throw .usage("--duration must be a positive number") }
                options.duration = seconds
            case "--connections":
                guard let count = Int(value), (1...4096).contains(count) else { throw .usage("--connections must be 1…4096") }
                options.connections = count
            case "--out": options.outputDirectory = value
            case "--corpus": options.corpus = value
            default: throw .usage("unknown option \(flag)")
            }
            index += 2
        }
        if options.key.isEmpty { throw .usage("--key is required") }
        return options
    }
}
