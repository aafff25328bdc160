import ServiceKit

/// The predictor service: its name, default port, settings and routes.
public enum PredictorService {
    /// The executable's name.
    public static let name = "predictor"
    /// The default port.
    public static let port = 8081
    /// Settings beyond the common ones.
    public static let settings: [Setting] = []

    /// Builds the service's routes.
    public static func build(_ context: ServiceContext) async throws -> ServiceDefinition {
        let router = Router()
        return ServiceDefinition(router: router, envelope: .codeDescription)
    }
}
