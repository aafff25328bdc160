import Contracts
import Foundation
import HTTPCore
import ServiceKit

/// The task-manager service (the "SeekingData" API): SFT data through the LLM bridge,
/// GitHub issue/PR → Harbor task, task CRUD, validation, ZIP export, progress on `/ws`.
public enum TaskManagerService: Service {
    /// The executable's name.
    public static let name = "task-manager"
    /// The default port (the document's).
    public static let defaultPort = 5001
    /// Settings beyond the common ones.
    public static let settings: [Setting] = TaskManagerOptions.settings

    /// Reads the settings.
    public static func options(_ config: Config) throws -> TaskManagerOptions { try TaskManagerOptions(config: config) }

    /// Builds the service.
    public static func make(_ options: TaskManagerOptions, context: ServiceContext) async throws -> ServiceDefinition {
        try await instance(options, logger: context.logger).definition
    }

    /// The pieces of a running task-manager (tests and benchmarks use them directly).
    public struct Instance: Sendable {
        /// Routes and conventions.
        public var definition: ServiceDefinition
        /// Stored tasks.
        public var repository: TaskRepository
    }

    /// Opens the index (`DATABASE_URL`, else `DATA_DIR/tasks.sqlite`) and the tasks root (indexing any task
    /// directory without a row), and defines the routes. `client` replaces the HTTP client
    /// used for GitHub and the bridge.
    public static func instance(_ options: TaskManagerOptions, logger: Logger, client: HTTPClient? = nil) async throws -> Instance {
        let store = try await TaskStore.open(options.database, poolSize: options.databasePoolSize, schema: options.databaseSchema)
        if try await !store.hasSearchIndex() {
            logger.warning("task search has no trigram index (pg_trgm could not be created): searches scan every task; install postgresql-contrib, CREATE EXTENSION pg_trgm, then CREATE INDEX task_search_trigram ON task_manager.task USING gin (search gin_trgm_ops)")
        }
        let repository = TaskRepository(store: store, root: options.tasksDirectory, limits: options.limits,
                                        sharedRoot: options.sharedTasksDirectory)
        let adopted = try await repository.open()
        if adopted > 0 { logger.info("indexed task directories that had no index row", [("tasks", adopted)]) }
        let http = client ?? HTTPClient()
        let github = GitHubClient(baseURL: options.githubAPIURL, token: options.githubToken, client: http, timeout: options.githubTimeout)
        let bridge = BridgeChatClient(client: http, url: options.aibridgeURL + BridgeChatClient.path, timeout: options.llmTimeout,
                                      attempts: options.llmAttempts, retryBase: options.llmRetryBase)
        // Replicas (PostgreSQL): a job's progress reaches `/ws` followers connected to any of them.
        let relay = options.database.dialect == .postgres ? ProgressRelay(db: store.db) : nil
        let hub = ProgressHub(relay: relay)
        let routes = TaskManagerRoutes(repository: repository, github: GitHubTaskGenerator(github: github, repository: repository),
                                       sft: SFTGenerator(bridge: bridge, internalToken: options.internalToken), hub: hub)
        let router = Router()
        routes.register(on: router)
        var definition = ServiceDefinition(router: router, envelope: .detail)
        definition.cors = options.corsOrigins
        definition.publicPaths = ["/health", "/metrics"] + TaskManagerRoutes.docsPaths
        if let relay { definition.background = [ProgressRelayListener(relay: relay, hub: hub)] }
        definition.onShutdown = { [store] in
            await store.close()
            if client == nil { await http.shutdown() }
        }
        return Instance(definition: definition, repository: repository)
    }
}
