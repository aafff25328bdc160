/// Why a load test could not run (not the errors it measures: those are counted).
public enum LoadTestError: Error, CustomStringConvertible {
    /// A bad command line.
    case usage(String)
    /// The scenario's set-up failed (a fixture could not be made, no session).
    case setup(String)

    /// The message shown.
    public var description: String {
        switch self {
        case .usage(let message): "\(message)\n\(LoadOptions.usage)"
        case .setup(let message): "set-up failed: \(message)"
        }
    }
}
