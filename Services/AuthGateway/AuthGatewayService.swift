import ServiceKit

/// The auth-gateway service: its name, default port, settings and routes.
public enum AuthGatewayService {
    /// The executable's name.
    public static let name = "auth-gateway"
    /// The default port.
    public static let port = 8080
    /// Settings beyond the common ones.
    public static let settings: [Setting] = []

    /// Builds the service's routes.
    public static func build(_ context: ServiceContext) async throws -> ServiceDefinition {
        let router = Router()
        return ServiceDefinition(router: router, envelope: .codeDescription)
    }
}
