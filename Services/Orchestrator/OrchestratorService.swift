import Contracts
import Foundation
import HTTPCore
import ServiceKit
import Storage

/// The orchestrator service: its name, default port, settings and routes.
public enum OrchestratorService: Service {
    /// The executable's name.
    public static let name = "orchestrator"
    /// The default port.
    public static let defaultPort = 8084
    /// Settings beyond the common ones.
    public static let settings: [Setting] = Config.database(schema: OrchestratorStore.postgresSchema) + [
        Setting("COMPUTE_URL", "", "compute base URL; new learnuplets go to {COMPUTE_URL}/learn, preduplets to /pred (empty: no push)"),
        Setting("COMPUTE_TIMEOUT_S", "10", "timeout of one push to compute, seconds"),
        Setting("OUTBOX_RETRY_BASE_MS", "500", "first retry delay of a failed push (doubles each time), milliseconds"),
        Setting("OUTBOX_RETRY_MAX_S", "300", "longest retry delay of a failed push, seconds"),
        Setting("SQLITE_SYNCHRONOUS", "NORMAL", "NORMAL (survives process crashes) or FULL (also power loss)"),
        Setting("MAX_NEW_LEARNUPLETS", "\(OrchestratorLimits.defaults.maxNewLearnuplets)",
                "most learnuplets one POST /data or POST /algo may create (beyond: 413, nothing stored)"),
        Setting("LEARNUPLETS_PER_TRANSACTION", "\(OrchestratorLimits.defaults.learnupletsPerTransaction)",
                "a POST /data continues its algos in write transactions of about this many learnuplets (whole algos), letting other writers in between"),
        Setting("LIST_PAGE_SIZE", "\(OrchestratorLimits.defaults.listPageSize)",
                "documents in a page of GET /{collection} without ?limit= (more: Link rel=\"next\" header)"),
        Setting("LIST_MAX_PAGE_SIZE", "\(OrchestratorLimits.defaults.listMaxPageSize)", "largest ?limit= of GET /{collection} (a larger one is lowered to it)"),
        Setting("LIST_PAGE_MAX_BYTES", "\(OrchestratorLimits.defaults.listPageMaxBytes)",
                "a page of GET /{collection} ends once its documents reach about this many bytes (at least one document)"),
    ]

    /// Reads the settings.
    public static func options(_ config: Config) throws -> OrchestratorOptions { try OrchestratorOptions(config: config) }

    /// Builds the service.
    public static func make(_ options: OrchestratorOptions, context: ServiceContext) async throws -> ServiceDefinition {
        try await instance(options, logger: context.logger, metrics: context.metrics).definition
    }

    /// The pieces of a running orchestrator (tests and benchmarks use them directly).
    public struct Instance: Sendable {
        /// Routes and conventions.
        public var definition: ServiceDefinition
        /// State and rules.
        public var store: OrchestratorStore
        /// The compute pusher (a background service of the definition), when a compute URL is set.
        public var pusher: OutboxPusher?
    }

    /// Opens the database (`DATABASE_URL`, else SQLite under DATA_DIR), defines the pusher
    /// (when a compute URL is set) and the routes. `client` replaces the default compute
    /// client; the limits' counters go to `metrics`; `schema` replaces the PostgreSQL schema
    /// (tests and benchmarks use one of their own).
    public static func instance(_ options: OrchestratorOptions, logger: Logger, metrics: Metrics = Metrics(),
                                client: (any ComputeClient)? = nil,
                                schema: String = OrchestratorStore.postgresSchema) async throws -> Instance {
        var sqlite = SQLiteOptions()
        sqlite.synchronous = options.synchronous
        let budget = LearnupletBudget(maximum: options.limits.maxNewLearnuplets,
                                      perTransaction: options.limits.learnupletsPerTransaction, metrics: metrics)
        let store = try await OrchestratorStore.open(options.database, poolSize: options.databasePoolSize, schema: schema,
                                                     pushEnabled: options.computeURL != nil, budget: budget, sqliteOptions: sqlite)
        let finished = try await store.finishPendingCuts()
        if finished > 0 { logger.info("continued the chains a stop left pending", [("learnuplets", finished)]) }
        var pusher: OutboxPusher?
        if let computeURL = options.computeURL {
            pusher = OutboxPusher(store: store, baseURL: computeURL,
                                  client: client ?? HTTPComputeClient(timeout: Double(options.computeTimeout.components.seconds)),
                                  logger: logger, retryBase: options.retryBaseSeconds, retryMax: options.retryMaxSeconds,
                                  pushTimeout: Double(options.computeTimeout.components.seconds))
        }
        let router = Router()
        OrchestratorRoutes(store: store, paging: ListPaging(limits: options.limits, metrics: metrics),
                           claims: ClaimCounters(metrics: metrics)).register(on: router)
        var definition = ServiceDefinition(router: router, envelope: .morpheo)
        // Identity is still only trusted with the internal token; opening every path here
        // lets our handlers answer 401 with Morpheo's `WWW-Authenticate: Basic` challenge.
        definition.publicPaths = ["/"]
        definition.serve(openAPI: OrchestratorOpenAPI.document)
        if let pusher { definition.background = [pusher] }
        definition.onShutdown = { [store] in await store.db.close() }
        return Instance(definition: definition, store: store, pusher: pusher)
    }
}
