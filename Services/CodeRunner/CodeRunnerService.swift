import ServiceKit

/// The code-runner service: its name, default port, settings and routes (not built yet:
/// it serves ServiceKit's `/health` and `/metrics`).
public enum CodeRunnerService: Service {
    /// The executable's name.
    public static let name = "code-runner"
    /// The default port.
    public static let defaultPort = 8085
    /// Settings beyond the common ones.
    public static let settings: [Setting] = []

    /// No settings of its own yet.
    public static func options(_ config: Config) throws {}

    /// Builds the service's routes.
    public static func make(_ options: Void, context: ServiceContext) async throws -> ServiceDefinition {
        ServiceDefinition(router: Router(), envelope: .detail)
    }
}
