import ServiceKit

/// The aibridge-query service: its name, default port, settings and routes (not built yet:
/// it serves ServiceKit's `/health` and `/metrics`).
public enum AIBridgeQueryService: Service {
    /// The executable's name.
    public static let name = "aibridge-query"
    /// The default port.
    public static let defaultPort = 8083
    /// Settings beyond the common ones.
    public static let settings: [Setting] = AIBridgeQueryOptions.settings

    /// Reads the settings.
    public static func options(_ config: Config) throws -> AIBridgeQueryOptions { try AIBridgeQueryOptions(config: config) }

    /// Builds the service's routes.
    public static func make(_ options: AIBridgeQueryOptions, context: ServiceContext) async throws -> ServiceDefinition {
        ServiceDefinition(router: Router(), envelope: .coder)
    }
}
