import ServiceKit

/// The code-runner service: its name, default port, settings and routes.
public enum CodeRunnerService {
    /// The executable's name.
    public static let name = "code-runner"
    /// The default port.
    public static let port = 8085
    /// Settings beyond the common ones.
    public static let settings: [Setting] = []

    /// Builds the service's routes.
    public static func build(_ context: ServiceContext) async throws -> ServiceDefinition {
        let router = Router()
        return ServiceDefinition(router: router, envelope: .detail)
    }
}
