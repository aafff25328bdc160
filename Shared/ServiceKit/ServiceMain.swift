import Dispatch
import Foundation
import HTTPCore

/// What a service gets to build itself: its configuration, logger and metrics.
public struct ServiceContext: Sendable {
    public let config: Config
    public let logger: Logger
    public let metrics: Metrics

    public init(config: Config, logger: Logger, metrics: Metrics = Metrics()) {
        self.config = config
        self.logger = logger
        self.metrics = metrics
    }
}

/// What a service is made of: its routes and API conventions, plus a shutdown hook.
public struct ServiceDefinition: Sendable {
    public var router: Router
    public var envelope: ErrorEnvelope
    public var cors: [String] = []
    /// Paths open without the internal token (exact, or prefixes ending in `/`).
    public var publicPaths: [String] = ["/health", "/metrics"]
    /// False for the gateway, which authenticates clients itself.
    public var requireInternalToken = true
    public var middlewares: [any Middleware] = []
    /// Runs after the server has drained (close databases, stop workers).
    public var onShutdown: @Sendable () async -> Void = {}

    public init(router: Router, envelope: ErrorEnvelope) {
        self.router = router
        self.envelope = envelope
    }
}

/// The one place that owns a service's start, signals and graceful shutdown.
public enum ServiceMain {
    /// Parses `--help`, reads the environment, builds the service, serves until
    /// SIGTERM/SIGINT, drains in-flight requests, runs the shutdown hook, exits 0.
    public static func run(service: String, port: Int, settings extra: [Setting] = [], usage: String? = nil,
                           build: @Sendable (ServiceContext) async throws -> ServiceDefinition) async -> Never {
        let settings = Config.common(service: service, port: port) + extra
        let config = Config(service: service, settings: settings)
        let args = CommandLine.arguments.dropFirst()
        if args.contains("--help") || args.contains("-h") {
            print(config.helpText(usage: usage))
            exit(0)
        }
        let level = LogLevel(name: config["LOG_LEVEL"]) ?? .info
        let logger = Logger(service: service, level: level)
        let accessLogger = config.bool("ACCESS_LOG") ? logger : Logger(service: service, level: .warning)
        let metrics = Metrics()
        let app: Application
        let definition: ServiceDefinition
        do {
            definition = try await build(ServiceContext(config: config, logger: logger, metrics: metrics))
            app = Application(name: service, router: definition.router, envelope: definition.envelope,
                              logger: accessLogger, metrics: metrics, cors: definition.cors,
                              internalToken: config["INTERNAL_TOKEN"], requireInternalToken: definition.requireInternalToken,
                              publicPaths: definition.publicPaths, middlewares: definition.middlewares)
        } catch {
            logger.error("start-up failed", [("error", String(describing: error))])
            LogSink.standardError.flush()
            exit(1)
        }
        if config["INTERNAL_TOKEN"] == Config.devInternalToken {
            logger.warning("INTERNAL_TOKEN is the development default; set a secret in production")
        }
        var serverConfig = HTTPServerConfiguration(host: config["HOST"], port: config.int("PORT"))
        serverConfig.limits.maxBodyBytes = config.int("MAX_BODY_BYTES")
        serverConfig.idleTimeout = .seconds(config.int("IDLE_TIMEOUT_S"))
        serverConfig.headerReadTimeout = .seconds(config.int("HEADER_TIMEOUT_S"))
        serverConfig.bodyReadTimeout = .seconds(config.int("BODY_TIMEOUT_S"))
        serverConfig.maxConnections = config.int("MAX_CONNECTIONS")
        let loops = config.int("EVENT_LOOPS")
        let group = loops > 0 ? EventLoopGroup(count: loops) : EventLoopGroup.shared
        let server = HTTPServer(configuration: serverConfig, group: group, responder: app)
        metrics.gauge("http_open_connections", help: "Open client connections") { Double(server.connectionCount) }
        do {
            try server.start()
        } catch {
            logger.error("cannot listen", [("host", config["HOST"]), ("port", config.int("PORT")), ("error", String(describing: error))])
            LogSink.standardError.flush()
            exit(1)
        }
        logger.info("listening", [("address", "\(config["HOST"]):\(server.port)"), ("routes", definition.router.routes.count)] + config.printable)
        LogSink.standardError.flush()
        let signal = await waitForTerminationSignal()
        logger.info("shutting down", [("signal", signal)])
        await server.shutdown(gracePeriod: .seconds(config.int("SHUTDOWN_GRACE_S")))
        await definition.onShutdown()
        logger.info("stopped")
        LogSink.standardError.flush()
        exit(0)
    }

    /// Suspends until SIGTERM or SIGINT; returns the signal's name.
    public static func waitForTerminationSignal() async -> String {
        await withCheckedContinuation { (c: CheckedContinuation<String, Never>) in
            let once = SignalOnce(c)
            for (sig, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
                Foundation.signal(sig, SIG_IGN)
                let src = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                src.setEventHandler { once.fire(name) }
                src.resume()
                once.keep(src)
            }
        }
    }
}

/// Resumes a continuation once, for whichever signal comes first.
private final class SignalOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<String, Never>?
    private var sources: [DispatchSourceSignal] = []
    init(_ c: CheckedContinuation<String, Never>) { continuation = c }
    func keep(_ s: DispatchSourceSignal) { lock.lock(); sources.append(s); lock.unlock() }
    func fire(_ name: String) {
        lock.lock()
        let c = continuation
        continuation = nil
        lock.unlock()
        c?.resume(returning: name)
    }
}
