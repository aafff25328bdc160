import ServiceKit

/// The task-manager service: its name, default port, settings and routes (not built yet:
/// it serves ServiceKit's `/health` and `/metrics`).
public enum TaskManagerService: Service {
    /// The executable's name.
    public static let name = "task-manager"
    /// The default port.
    public static let defaultPort = 5001
    /// Settings beyond the common ones.
    public static let settings: [Setting] = []

    /// No settings of its own yet.
    public static func options(_ config: Config) throws {}

    /// Builds the service's routes.
    public static func make(_ options: Void, context: ServiceContext) async throws -> ServiceDefinition {
        ServiceDefinition(router: Router(), envelope: .detail)
    }
}
