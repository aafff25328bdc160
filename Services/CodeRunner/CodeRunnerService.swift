import Foundation
import HTTPCore
import ServiceKit
import Subprocess

/// The code-runner service (seed 004: Auto-Analyst's code routes) on a real sandbox.
///
/// - `POST /code/execute`: code split into marked blocks runs in the session's own Python
///   kernel (a process forked by the zygote, as a uid of its own when the service is root,
///   with rlimits, no network, a wall-clock timeout); 200 with every block's output,
///   figures, `is_successful`, `failed_blocks`.
/// - `POST /code/edit`, `/code/fix`: the model through aibridge-query's bridge; fix
///   candidates scored in scratch kernels.
/// - `POST /code/clean-code`: top-level imports to the top, with Python's `ast`.
/// - `POST /code/get-latest-code`: the latest code per (user, message id).
/// - `POST /upload_dataframe`, `POST /reset-session`: the session's dataset.
public enum CodeRunnerService: Service {
    /// The executable's name.
    public static let name = "code-runner"
    /// The default port.
    public static let defaultPort = 8085
    /// Settings beyond the common ones.
    public static let settings: [Setting] = CodeRunnerOptions.settings

    /// Reads the settings.
    public static func options(_ config: Config) throws -> CodeRunnerOptions { try CodeRunnerOptions(config: config) }

    /// Builds the service.
    public static func make(_ options: CodeRunnerOptions, context: ServiceContext) async throws -> ServiceDefinition {
        try await instance(options, logger: context.logger, metrics: context.metrics)
    }

    /// Builds the service from its options: the store, the kernel pool (the zygote starts
    /// in the background; `/health` says `starting` until it is ready), the idle reaper
    /// and the routes.
    public static func instance(_ options: CodeRunnerOptions, logger: Logger, metrics: Metrics,
                                httpClient: HTTPClient? = nil) async throws -> ServiceDefinition {
        try await parts(options, logger: logger, metrics: metrics, httpClient: httpClient).definition
    }

    /// The service's definition and its kernel pool (tests drive the pool directly).
    static func parts(_ options: CodeRunnerOptions, logger: Logger, metrics: Metrics,
                      httpClient: HTTPClient? = nil) async throws -> (definition: ServiceDefinition, pool: KernelPool) {
        try FileManager.default.createDirectory(at: options.dataDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        // The service's data is its own: kernels (other uids) cannot enter DATA_DIR.
        chmod(options.dataDirectory.path, 0o700)
        let sandbox = SandboxSettings(options: options, effectiveUID: geteuid())
        try prepareWorkRoot(options.workDirectory, dropsPrivileges: sandbox.dropsPrivileges)

        let store = try await CodeRunnerStore.open(options.database, poolSize: options.databasePoolSize, schema: options.databaseSchema)
        let zygote = Zygote.Configuration(python: options.python, program: options.kernelProgram,
                                          namespaces: sandbox.namespaces,
                                          environment: kernelEnvironment(options))
        let pool = KernelPool(sandbox: sandbox, zygote: zygote,
                              dataset: { session in try await store.datasetCSV(session: session) },
                              logger: logger, metrics: metrics)

        var ownedClient: HTTPClient?
        var bridge: BridgeClient?
        if let base = options.aibridgeURL {
            let client: HTTPClient
            if let httpClient {
                client = httpClient
            } else {
                var configuration = HTTPClientConfiguration()
                configuration.maxConnectionsPerHost = 16
                client = HTTPClient(configuration: configuration)
                ownedClient = client
            }
            bridge = BridgeClient(baseURL: base, model: options.codeModel, internalToken: options.internalToken,
                                  timeout: options.llmTimeout, client: client)
        }
        let assistant = CodeAssistant(bridge: bridge, pool: pool, store: store, attempts: options.fixAttempts,
                                      logger: logger, metrics: metrics)
        let context = CodeRunnerContext(options: options, store: store, sessions: SessionResolver(store: store), pool: pool,
                                        assistant: assistant, logger: logger, metrics: metrics)
        let router = Router()
        CodeRunnerRoutes.register(on: router, context: context)

        var definition = ServiceDefinition(router: router, envelope: .detail)
        let readiness = Readiness(ready: false)
        definition.readiness = readiness
        definition.serve(openAPI: CodeRunnerOpenAPI.document)
        definition.background = [KernelServerStarter(pool: pool, readiness: readiness, logger: logger),
                                 IdleKernelReaper(pool: pool, idle: options.idleTimeout),
                                 DatasetChangeListener(store: store, pool: pool)]
        let owned = ownedClient
        let workRoot = options.workDirectory
        definition.onShutdown = {
            await pool.shutdown()
            await store.close()
            await owned?.shutdown()
            cleanWorkRoot(workRoot)
        }
        return (definition, pool)
    }

    /// The zygote's whole environment: nothing of the service's (no `INTERNAL_TOKEN`, no
    /// keys), one thread per numeric library, matplotlib headless.
    static func kernelEnvironment(_ options: CodeRunnerOptions) -> [String: String] {
        [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": options.workDirectory.appendingPathComponent(".matplotlib").path,
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONHASHSEED": "0",
        ]
    }

    /// Removes what the service made in the work root (kernel directories `k<slot>-<channel>`
    /// and `.matplotlib`), then the root itself when nothing else is left in it.
    static func cleanWorkRoot(_ root: URL) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        for entry in entries where entry == ".matplotlib" || (entry.hasPrefix("k") && entry.contains("-")) {
            try? FileManager.default.removeItem(at: root.appendingPathComponent(entry))
        }
        rmdir(root.path)
    }

    /// The kernels' working root: as root 0711 (kernels can enter their own directory but
    /// not list the others), else 0700.
    static func prepareWorkRoot(_ root: URL, dropsPrivileges: Bool) throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: dropsPrivileges ? 0o711 : 0o700])
        chmod(root.path, dropsPrivileges ? 0o711 : 0o700)
        if dropsPrivileges {
            // Every directory above must let other uids through, or no kernel can enter its own.
            var directory = root.standardizedFileURL.deletingLastPathComponent()
            while directory.path != "/" {
                var info = stat()
                if stat(directory.path, &info) == 0, info.st_mode & 0o001 == 0 {
                    throw ConfigError.malformed(setting: "KERNEL_WORK_DIR", value: root.path,
                                                expected: "a directory whose parents other users may enter (\(directory.path) is not)")
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        let matplotlib = root.appendingPathComponent(".matplotlib")
        try FileManager.default.createDirectory(at: matplotlib, withIntermediateDirectories: true)
        chmod(matplotlib.path, 0o700)
    }
}
