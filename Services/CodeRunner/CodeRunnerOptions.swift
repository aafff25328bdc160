import Foundation
import ServiceKit
import Storage

/// code-runner's settings, read once at start (or made by tests).
public struct CodeRunnerOptions: Sendable {
    /// DATA_DIR: the SQLite database (sessions, datasets, code by message), without `DATABASE_URL`.
    public var dataDirectory: URL
    /// `DATABASE_URL`: where the store is (default: SQLite `DATA_DIR/code-runner.sqlite`).
    public var database: DatabaseLocation
    /// `DATABASE_POOL_SIZE`: PostgreSQL connections of this replica.
    public var databasePoolSize = 4
    /// The PostgreSQL schema of the store (not a setting: tests use one of their own).
    public var databaseSchema = CodeRunnerStore.postgresSchema
    /// The interpreter the kernels run (`PYTHON`).
    public var python: String
    /// The kernel program (`KERNEL_PROGRAM`; default: the copy bundled with the service).
    public var kernelProgram: String
    /// Where each kernel gets its working directory (`KERNEL_WORK_DIR`).
    public var workDirectory: URL
    /// Wall-clock limit of one execute (`EXEC_TIMEOUT_S`).
    public var executeTimeout: Duration = .seconds(30)
    /// A kernel unused this long is stopped (`KERNEL_IDLE_S`).
    public var idleTimeout: Duration = .seconds(600)
    /// Memory a kernel may map beyond what the zygote had loaded (`KERNEL_MEMORY_MB`), bytes.
    public var kernelMemoryBytes = 1024 * 1024 * 1024
    /// First uid of the kernels when the service runs as root (`KERNEL_UID_BASE`).
    public var kernelUIDBase = 100_000
    /// Most session kernels at once; the least recently used is stopped beyond (`MAX_KERNELS`).
    public var maxKernels = 32
    /// Kernels that score `/code/fix` candidates at once (`SCRATCH_KERNELS`).
    public var scratchKernels = 2
    /// CPU seconds one kernel may use over its life (`KERNEL_CPU_S`).
    public var kernelCPUSeconds = 3600
    /// Processes (threads included) of one kernel's uid (`KERNEL_PROCESSES`).
    public var kernelProcesses = 64
    /// Open files of one kernel process (`KERNEL_OPEN_FILES`).
    public var kernelOpenFiles = 256
    /// Largest file a kernel may write (`KERNEL_FILE_MB`), bytes.
    public var kernelFileBytes = 100 * 1024 * 1024
    /// Largest CSV `/upload_dataframe` takes (`MAX_UPLOAD_BYTES`; 413 beyond).
    public var maxUploadBytes = 50 * 1024 * 1024
    /// Largest JSON body of the `/code/` routes (`MAX_BODY_BYTES`).
    public var maxBodyBytes = 16 * 1024 * 1024
    /// aibridge-query's base URL (`AIBRIDGE_URL`); LLM calls go to its OpenAI bridge.
    public var aibridgeURL: String? = "http://127.0.0.1:8083"
    /// The model for edit and fix (`CODE_LLM_MODEL`).
    public var codeModel = "gpt-4o-mini"
    /// How long one LLM call may take (`LLM_TIMEOUT_S`).
    public var llmTimeout: Duration = .seconds(120)
    /// Attempts per faulty block in `/code/fix` (`FIX_ATTEMPTS`).
    public var fixAttempts = 3
    /// The internal token sent to the bridge with the caller's identity.
    public var internalToken: String = Config.devInternalToken

    /// Options with defaults for everything but the directories and the interpreter (tests).
    public init(dataDirectory: URL, python: String, kernelProgram: String = CodeRunnerOptions.bundledKernelProgram,
                workDirectory: URL) {
        self.dataDirectory = dataDirectory
        database = .sqlite(path: dataDirectory.appendingPathComponent(CodeRunnerStore.fileName).path)
        self.python = python
        self.kernelProgram = kernelProgram
        self.workDirectory = workDirectory
    }

    /// Reads and validates the settings.
    public init(config: Config) throws {
        let port = try config.integer("PORT", in: 0...65535)
        let work = try config.directory("KERNEL_WORK_DIR")
            ?? URL(fileURLWithPath: "/tmp/code-runner-\(getuid())-\(port)", isDirectory: true)
        let program = try config.string("KERNEL_PROGRAM")
        self.init(dataDirectory: try config.dataDirectory(), python: try config.string("PYTHON"),
                  kernelProgram: program.isEmpty ? Self.bundledKernelProgram : program, workDirectory: work)
        if python.isEmpty { throw ConfigError.malformed(setting: "PYTHON", value: "", expected: "an interpreter's path") }
        database = try config.databaseLocation(sqliteFile: CodeRunnerStore.fileName)
        databasePoolSize = try config.databasePoolSize()
        executeTimeout = try config.duration("EXEC_TIMEOUT_S", unit: .seconds(1), minimum: 1)
        idleTimeout = try config.duration("KERNEL_IDLE_S", unit: .seconds(1), minimum: 1)
        kernelMemoryBytes = try config.integer("KERNEL_MEMORY_MB", in: 64...1_048_576) * 1024 * 1024
        kernelUIDBase = try config.integer("KERNEL_UID_BASE", in: 1000...4_000_000_000)
        maxKernels = try config.integer("MAX_KERNELS", in: 1...10_000)
        scratchKernels = try config.integer("SCRATCH_KERNELS", in: 1...64)
        kernelCPUSeconds = try config.integer("KERNEL_CPU_S", in: 1...Int(Int32.max))
        kernelProcesses = try config.integer("KERNEL_PROCESSES", in: 4...100_000)
        kernelOpenFiles = try config.integer("KERNEL_OPEN_FILES", in: 32...1_000_000)
        kernelFileBytes = try config.integer("KERNEL_FILE_MB", in: 1...1_048_576) * 1024 * 1024
        maxUploadBytes = try config.integer("MAX_UPLOAD_BYTES", in: 1...Int.max)
        maxBodyBytes = try config.integer("MAX_BODY_BYTES", in: 1...Int.max)
        aibridgeURL = try config.url("AIBRIDGE_URL")
        codeModel = try config.string("CODE_LLM_MODEL")
        llmTimeout = try config.duration("LLM_TIMEOUT_S", unit: .seconds(1), minimum: 1)
        fixAttempts = try config.integer("FIX_ATTEMPTS", in: 1...10)
        internalToken = try config.string("INTERNAL_TOKEN")
    }

    /// The kernel program shipped with the service (a SwiftPM resource).
    public static var bundledKernelProgram: String {
        Bundle.module.path(forResource: "kernel", ofType: "py", inDirectory: "Kernel")
            ?? Bundle.module.bundleURL.appendingPathComponent("Kernel/kernel.py").path
    }

    /// The settings, for `CodeRunnerService.settings`.
    static let settings: [Setting] = Config.database(schema: CodeRunnerStore.postgresSchema) + [
        Setting("PYTHON", "deploy/.venv/bin/python", "the kernels' interpreter: the project's venv made by the setup command "
                + "(pandas, numpy, plotly, matplotlib); kernel uids must be able to read it"),
        Setting("KERNEL_PROGRAM", "", "the kernel program (empty: the kernel.py bundled with the service)"),
        Setting("KERNEL_WORK_DIR", "", "where kernels get their working directories (empty: /tmp/code-runner-<uid>-<port>)"),
        Setting("EXEC_TIMEOUT_S", "30", "wall-clock limit of one execute; past it the kernel is killed and restarted on demand"),
        Setting("KERNEL_IDLE_S", "600", "a session's kernel unused this long is stopped (restarted on demand, dataset reloaded)"),
        Setting("KERNEL_MEMORY_MB", "1024", "address space a kernel may map beyond the preloaded libraries (RLIMIT_AS)"),
        Setting("KERNEL_UID_BASE", "100000", "as root, each kernel runs as its own uid from this base"),
        Setting("MAX_KERNELS", "32", "most session kernels at once; the least recently used is stopped beyond"),
        Setting("SCRATCH_KERNELS", "2", "kernels that score /code/fix candidates at once"),
        Setting("KERNEL_CPU_S", "3600", "CPU seconds one kernel may use over its life (RLIMIT_CPU)"),
        Setting("KERNEL_PROCESSES", "64", "processes and threads of one kernel's uid (RLIMIT_NPROC)"),
        Setting("KERNEL_OPEN_FILES", "256", "open files of one kernel process (RLIMIT_NOFILE)"),
        Setting("KERNEL_FILE_MB", "100", "largest file a kernel may write (RLIMIT_FSIZE)"),
        Setting("MAX_UPLOAD_BYTES", String(50 * 1024 * 1024), "largest CSV /upload_dataframe takes (413 beyond)"),
        Setting("AIBRIDGE_URL", "http://127.0.0.1:8083", "aibridge-query's base URL: edit and fix call "
                + "<AIBRIDGE_URL>/api/v2/aibridge/openai/v1/chat/completions (empty: no LLM; edit and fix answer with an error)"),
        Setting("CODE_LLM_MODEL", "gpt-4o-mini", "the model for /code/edit and /code/fix (through aibridge-query's bridge)"),
        Setting("LLM_TIMEOUT_S", "120", "how long one LLM call may take"),
        Setting("FIX_ATTEMPTS", "3", "attempts per faulty block in /code/fix"),
    ]
}
