/// A service as `ServiceMain` runs it: a name, a default port, its settings, typed
/// options read from them once, and a builder. Every service follows this shape:
///
/// ```swift
/// public enum ExampleService: Service {
///     public static let name = "example"
///     public static let defaultPort = 8090
///     public static let settings: [Setting] = [Setting("EXAMPLE_LIMIT", "10", "…")]
///     public static func options(_ config: Config) throws -> ExampleOptions { try ExampleOptions(config: config) }
///     public static func make(_ options: ExampleOptions, context: ServiceContext) async throws -> ServiceDefinition { … }
/// }
/// ```
/// and its executable is `await ServiceMain.run(ExampleService.self)`.
public protocol Service {
    /// The service's typed settings.
    associatedtype Options: Sendable
    /// The executable's name (also the log's `service` field and `DATA_DIR`'s default).
    static var name: String { get }
    /// The port used when `PORT` is unset.
    static var defaultPort: Int { get }
    /// Settings beyond `Config.common` (printed by `--help`).
    static var settings: [Setting] { get }
    /// Extra `--help` text (commands), if any.
    static var usage: String? { get }
    /// Reads and validates every setting the service uses; a `ConfigError` stops the start.
    static func options(_ config: Config) throws -> Options
    /// Builds the service: stores opened, background work and routes defined.
    static func make(_ options: Options, context: ServiceContext) async throws -> ServiceDefinition
}

extension Service {
    /// No extra `--help` text.
    public static var usage: String? { nil }

    /// Every setting this service reads: the common ones, then its own.
    public static var allSettings: [Setting] { Config.common(service: name, port: defaultPort) + settings }

    /// The configuration from `environment` (tests pass their own).
    public static func config(environment: [String: String]) -> Config {
        Config(service: name, settings: allSettings, environment: environment)
    }
}
