import ServiceKit

/// The orchestrator service: its name, default port, settings and routes.
public enum OrchestratorService {
    /// The executable's name.
    public static let name = "orchestrator"
    /// The default port.
    public static let port = 8084
    /// Settings beyond the common ones.
    public static let settings: [Setting] = []

    /// Builds the service's routes.
    public static func build(_ context: ServiceContext) async throws -> ServiceDefinition {
        let router = Router()
        return ServiceDefinition(router: router, envelope: .morpheo)
    }
}
