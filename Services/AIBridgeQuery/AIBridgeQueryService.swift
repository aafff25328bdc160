import Contracts
import ServiceKit
import Storage

/// The aibridge-query service: its name, default port, settings and routes: the query API
/// over recorded interceptions (`QueryRoutes`) and its OpenAPI document; the bridge's
/// provider routes record through the same `AIBridgeStore`.
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
        try await instance(options, logger: context.logger, metrics: context.metrics).definition
    }

    /// The pieces of a running aibridge-query (tests and benchmarks use them directly).
    public struct Instance: Sendable {
        /// Routes and conventions.
        public var definition: ServiceDefinition
        /// What the bridge records and the query API reads.
        public var store: AIBridgeStore
    }

    /// Opens the store (`DATABASE_URL`, else `aibridge.sqlite` under DATA_DIR) and defines the routes; the bridge counts its
    /// calls in `metrics` (the service's registry, so `/metrics` shows them).
    public static func instance(_ options: AIBridgeQueryOptions, logger: Logger, metrics: Metrics = Metrics()) async throws -> Instance {
        var sqlite = SQLiteOptions()
        sqlite.synchronous = options.synchronous
        let store = try await AIBridgeStore.open(options.database, sqliteOptions: sqlite, poolSize: options.databasePoolSize,
                                                 schema: options.databaseSchema)
        let router = Router()
        QueryRoutes(store: store).register(on: router)
        ProviderRoutes(bridge: LLMBridge(options: options, recorder: store, logger: logger, metrics: metrics)).register(on: router)
        var definition = ServiceDefinition(router: router, envelope: .coder)
        definition.serve(openAPI: AIBridgeOpenAPI.document)
        definition.middlewares = [UserDirectoryMiddleware(directory: UserDirectory(store: store), logger: logger)]
        definition.onShutdown = { [store] in await store.close() }
        return Instance(definition: definition, store: store)
    }
}
