import ServiceKit

/// The aibridge-query service: its name, default port, settings and routes.
public enum AIBridgeQueryService {
    /// The executable's name.
    public static let name = "aibridge-query"
    /// The default port.
    public static let port = 8083
    /// Settings beyond the common ones.
    public static let settings: [Setting] = []

    /// Builds the service's routes.
    public static func build(_ context: ServiceContext) async throws -> ServiceDefinition {
        let router = Router()
        return ServiceDefinition(router: router, envelope: .coder)
    }
}
