import Contracts
import Foundation
import HTTPCore
import ServiceKit
import Storage

/// The orchestrator service: its name, default port, settings and routes.
public enum OrchestratorService {
    /// The executable's name.
    public static let name = "orchestrator"
    /// The default port.
    public static let port = 8084
    /// Settings beyond the common ones.
    public static let settings: [Setting] = [
        Setting("COMPUTE_URL", "", "compute base URL; new learnuplets go to {COMPUTE_URL}/learn, preduplets to /pred (empty: no push)"),
        Setting("COMPUTE_TIMEOUT_S", "10", "timeout of one push to compute, seconds"),
        Setting("OUTBOX_RETRY_BASE_MS", "500", "first retry delay of a failed push (doubles each time), milliseconds"),
        Setting("OUTBOX_RETRY_MAX_S", "300", "longest retry delay of a failed push, seconds"),
        Setting("SQLITE_SYNCHRONOUS", "NORMAL", "NORMAL (survives process crashes) or FULL (also power loss)"),
    ]

    /// Builds the service's routes.
    public static func build(_ context: ServiceContext) async throws -> ServiceDefinition {
        try await make(config: context.config, logger: context.logger, metrics: context.metrics).definition
    }

    /// The pieces of a running orchestrator (tests and benchmarks use them directly).
    public struct Instance: Sendable {
        /// Routes and conventions.
        public var definition: ServiceDefinition
        /// State and rules.
        public var store: OrchestratorStore
        /// The compute pusher, when COMPUTE_URL is set.
        public var pusher: OutboxPusher?
    }

    /// Opens the database under DATA_DIR, starts the pusher (when COMPUTE_URL is set) and
    /// builds the routes. `client` replaces the HTTP compute client.
    public static func make(config: Config, logger: Logger, metrics: Metrics = Metrics(),
                            client: (any ComputeClient)? = nil) async throws -> Instance {
        let computeURL = config["COMPUTE_URL"].trimmingCharacters(in: .whitespaces)
        var options = SQLiteOptions()
        options.synchronous = config["SQLITE_SYNCHRONOUS"].uppercased() == "FULL" ? .full : .normal
        let store = try await OrchestratorStore.open(directory: try config.dataDirectory(), pushEnabled: !computeURL.isEmpty, options: options)
        var pusher: OutboxPusher?
        if !computeURL.isEmpty {
            let p = OutboxPusher(store: store, baseURL: computeURL,
                                 client: client ?? HTTPComputeClient(timeout: config.double("COMPUTE_TIMEOUT_S")),
                                 logger: logger, retryBase: config.double("OUTBOX_RETRY_BASE_MS") / 1000,
                                 retryMax: config.double("OUTBOX_RETRY_MAX_S"))
            await p.start()
            pusher = p
        }
        let router = Router()
        // Our `/{collection}` route would shadow ServiceKit's own, so serve these here.
        router.get("/health") { _ in .json(HealthStatus(status: "healthy")) }
        router.get("/metrics") { _ in
            HTTPResponse(status: .ok, contentType: "text/plain; version=0.0.4", body: Array(metrics.render().utf8))
        }
        let queued: @Sendable () -> Void = { [pusher] in pusher?.poke() }
        OrchestratorAPI(store: store, onQueued: queued).register(on: router)
        var definition = ServiceDefinition(router: router, envelope: .morpheo)
        // Identity is still only trusted with the internal token; opening every path here
        // lets our handlers answer 401 with Morpheo's `WWW-Authenticate: Basic` challenge.
        definition.publicPaths = ["/"]
        definition.onShutdown = { [pusher, store] in
            await pusher?.stop()
            await store.db.close()
        }
        return Instance(definition: definition, store: store, pusher: pusher)
    }
}
