import Dispatch
import Foundation
import HTTPCore

/// The one place that owns a service's start, signals and graceful shutdown.
public enum ServiceMain {
    /// Runs `service`: `--help`, settings read and validated (a bad one stops the start
    /// with exit status 2 and a message naming it), the service built, the server
    /// listening, background work started; on SIGTERM/SIGINT the server drains, the
    /// background work is cancelled and awaited, the shutdown hook runs, exit 0.
    /// Files the service creates are private to its user (umask 077); the soft limit
    /// of open files is raised to the hard one before the settings are read (the
    /// default `MAX_CONNECTIONS` is derived from it).
    public static func run<S: Service>(_ service: S.Type) async -> Never {
        umask(0o077)
        DescriptorLimit.raiseSoftLimitToHard()
        let config = Config(service: S.name, settings: S.allSettings)
        let args = CommandLine.arguments.dropFirst()
        if args.contains("--help") || args.contains("-h") {
            print(config.helpText(usage: S.usage))
            exit(0)
        }
        let server: ServerOptions
        let options: S.Options
        do {
            server = try ServerOptions(config: config)
            options = try S.options(config)
        } catch {
            FileHandle.standardError.write(Data("\(S.name): \(error)\n".utf8))
            exit(2)
        }
        let logger = Logger(service: S.name, level: server.logLevel)
        let metrics = Metrics()
        let definition: ServiceDefinition
        do {
            definition = try await S.make(options, context: ServiceContext(config: config, logger: logger, metrics: metrics))
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("\(S.name): \(error)\n".utf8))
            exit(2)
        } catch {
            logger.error("start-up failed", [("error", String(describing: error))])
            LogSink.standardError.flush()
            exit(1)
        }
        let app = Application(name: S.name, definition: definition, internalToken: server.internalToken,
                              logger: server.accessLog ? logger : Logger(service: S.name, level: .warning), metrics: metrics,
                              metricsListener: server.metricsPort != nil)
        if server.internalToken == Config.devInternalToken {
            logger.warning("INTERNAL_TOKEN is the development default; set a secret in production")
        }
        let group = server.eventLoops > 0 ? EventLoopGroup(count: server.eventLoops) : EventLoopGroup.shared
        let http = HTTPServer(configuration: server.http, group: group, responder: app)
        exposeServerMetrics(http, in: metrics)
        do {
            try http.start()
        } catch {
            logger.error("cannot listen", [("host", server.host), ("port", server.port), ("error", String(describing: error))])
            LogSink.standardError.flush()
            exit(1)
        }
        var metricsServer: HTTPServer?
        if let metricsPort = server.metricsPort {
            let listener = HTTPServer(configuration: HTTPServerConfiguration(host: server.metricsHost, port: metricsPort), group: group,
                                      responder: MetricsResponder(metrics: metrics))
            do {
                try listener.start()
            } catch {
                logger.error("cannot listen for metrics", [("host", server.metricsHost), ("port", metricsPort), ("error", String(describing: error))])
                LogSink.standardError.flush()
                exit(1)
            }
            metricsServer = listener
        }
        var listening: [(String, any Sendable)] = [("address", "\(server.host):\(http.port)"), ("routes", definition.router.routes.count),
                                                  ("max_connections", server.http.maxConnections), ("open_files_limit", DescriptorLimit.soft)]
        if let metricsServer { listening.append(("metrics_address", "\(server.metricsHost):\(metricsServer.port)")) }
        logger.info("listening", listening + config.printable)
        LogSink.standardError.flush()
        let background = BackgroundWork(definition.background, logger: logger)
        let signal = await waitForTerminationSignal()
        logger.info("shutting down", [("signal", signal)])
        await http.shutdown(gracePeriod: server.shutdownGrace)
        await metricsServer?.shutdown(gracePeriod: .seconds(1))
        await background.stop()
        await definition.onShutdown()
        logger.info("stopped")
        LogSink.standardError.flush()
        exit(0)
    }

    /// The server's own counts as metrics: open connections, connections refused at
    /// accept (503), pauses for want of descriptors, request bodies cut off (408).
    static func exposeServerMetrics(_ http: HTTPServer, in metrics: Metrics) {
        metrics.gauge("http_open_connections", help: "Open client connections") { Double(http.connectionCount) }
        metrics.counter("http_connections_refused_total", help: "Connections answered 503 at accept (MAX_CONNECTIONS or the descriptor reserve reached)",
                        read: { Double(http.connectionsRefused.load(ordering: .relaxed)) })
        metrics.counter("http_accept_pauses_total", help: "Times accepting paused because no file descriptor was left",
                        read: { Double(http.acceptPauses.load(ordering: .relaxed)) })
        metrics.counter("http_request_body_timeouts_total", help: "Request bodies cut off with 408 (BODY_TIMEOUT_S stall or below BODY_MIN_RATE)",
                        read: { Double(http.bodyTimeouts.load(ordering: .relaxed)) })
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
