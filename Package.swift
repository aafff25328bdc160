// swift-tools-version:6.0
import PackageDescription

/// The six services, each a library (all its logic, testable) and a tiny executable.
/// `dir` is the folder under Services/, `lib` the library target, `exe` the binary name.
let services: [(dir: String, lib: String, exe: String, extra: [Target.Dependency])] = [
    ("AuthGateway", "AuthGateway", "auth-gateway", ["Storage"]),
    ("Predictor", "Predictor", "predictor", ["Subprocess", "LLMWire"]),
    ("TaskManager", "TaskManager", "task-manager", ["Storage", "JSON", "LLMWire", "CLinux", "TOML", "ZIP"]),
    ("AIBridgeQuery", "AIBridgeQuery", "aibridge-query", ["Storage", "LLMWire", "JSON"]),
    ("Orchestrator", "Orchestrator", "orchestrator", ["Storage", "JSON"]),
    ("CodeRunner", "CodeRunner", "code-runner", ["Storage", "Subprocess", "LLMWire"]),
]

/// Files a service ships beside its binary (SwiftPM resources, found through `Bundle.module`).
let serviceResources: [String: [Resource]] = [
    // code-runner's Python side: the zygote and the kernels it forks.
    "CodeRunner": [.copy("Kernel")],
]


/// Release builds optimise across modules: the proxy's hot path runs through HTTPCore,
/// ServiceKit and the service library, and without this small accessors and generic
/// helpers in one module cannot be inlined or specialised into another (measured on the
/// gateway at 64 connections: +4–5 % requests/s, paired runs against the build without it).
let fast: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

var targets: [Target] = [
    .systemLibrary(name: "CSQLite", path: "Shared/CSQLite", pkgConfig: "sqlite3",
                   providers: [.apt(["libsqlite3-dev"])]),
    // libpq for Storage's PostgreSQL backend.
    .systemLibrary(name: "CPostgres", path: "Shared/CPostgres", pkgConfig: "libpq",
                   providers: [.apt(["libpq-dev"])]),
    .systemLibrary(name: "CZlib", path: "Shared/CZlib", pkgConfig: "zlib",
                   providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CLinux", path: "Shared/CLinux"),
    // SHA-256, SHA-1, HMAC, secure random bytes, base64, hex, constant-time compare, FNV-1a.
    .target(name: "Crypto", dependencies: ["CLinux"], path: "Shared/Crypto", swiftSettings: fast),
    // libssl for the client's HTTPS (OpenSSL 3).
    .systemLibrary(name: "COpenSSL", path: "Shared/COpenSSL", pkgConfig: "openssl",
                   providers: [.apt(["libssl-dev"])]),
    .target(name: "HTTPCore", dependencies: ["CLinux", "COpenSSL", "Crypto"], path: "Shared/HTTPCore", swiftSettings: fast),
    .target(name: "Contracts", dependencies: ["JSON"], path: "Shared/Contracts", swiftSettings: fast),
    // JSON values, the strict parser, the Decoder over it, the streaming writer and the one string escaper.
    .target(name: "JSON", dependencies: ["Crypto"], path: "Shared/JSON", swiftSettings: fast),
    .target(name: "ServiceKit", dependencies: ["HTTPCore", "Contracts", "JSON", "Crypto", "Storage"], path: "Shared/ServiceKit", swiftSettings: fast),
    // The LLM wire formats: OpenAI chat and legacy completions, Anthropic messages, their streams.
    .target(name: "LLMWire", dependencies: ["HTTPCore", "JSON"], path: "Shared/LLMWire", swiftSettings: fast),
    .target(name: "Storage", dependencies: ["CSQLite", "CPostgres"], path: "Shared/Storage", swiftSettings: fast),
    // TOML 1.0: parser (passes toml-test's 1.0.0 cases) and writer.
    .target(name: "TOML", path: "Shared/TOML", swiftSettings: fast),
    // Streaming ZIP writer: raw deflate and CRC-32 through zlib, UTF-8 names, data descriptors, ZIP64.
    .target(name: "ZIP", dependencies: ["CZlib"], path: "Shared/ZIP", swiftSettings: fast),
    // Child processes without a shell: pipes, rlimits, uid drop, namespaces, group kill.
    .target(name: "Subprocess", dependencies: ["CLinux"], path: "Shared/Subprocess", swiftSettings: fast),
    // Helpers shared by the test targets (free ports, the built binaries, the gateway CLI).
    .target(name: "TestSupport", dependencies: ["ServiceKit", "HTTPCore", "Contracts", "JSON", "LLMWire", "Crypto", "Subprocess", "Storage"], path: "Tests/Support"),
    // bench-client: the TLS tests run its --fetch mode with SSL_CERT_FILE / SSL_CERT_DIR set.
    .testTarget(name: "HTTPCoreTests", dependencies: ["HTTPCore", "TestSupport", "bench-client"], path: "Tests/HTTPCoreTests"),
    .testTarget(name: "JSONTests", dependencies: ["JSON"], path: "Tests/JSONTests"),
    .testTarget(name: "ServiceKitTests", dependencies: ["ServiceKit", "HTTPCore", "JSON", "TestSupport"], path: "Tests/ServiceKitTests"),
    .testTarget(name: "CryptoTests", dependencies: ["Crypto"], path: "Tests/CryptoTests"),
    .testTarget(name: "LLMWireTests", dependencies: ["LLMWire", "HTTPCore", "JSON", "TestSupport"], path: "Tests/LLMWireTests"),
    .testTarget(name: "StorageTests", dependencies: ["Storage", "TestSupport"], path: "Tests/StorageTests"),
    .testTarget(name: "SubprocessTests", dependencies: ["Subprocess", "CLinux"], path: "Tests/SubprocessTests"),
    // Runs toml-test (TOML_TEST_DIR, else ../shared/toml-test beside the repository or its worktree folder).
    .testTarget(name: "TOMLTests", dependencies: ["TOML", "JSON", "TestSupport"], path: "Tests/TOMLTests"),
    // Archives checked by Python's zipfile (TEST_PYTHON) and `unzip -t`.
    .testTarget(name: "ZIPTests", dependencies: ["ZIP", "JSON", "Crypto", "TestSupport"], path: "Tests/ZIPTests"),
    .testTarget(name: "IntegrationTests", dependencies: ["HTTPCore", "Subprocess", "TestSupport", "bench-server", "Contracts", "JSON",
                                                      "aidevtools-loadtest"], path: "Tests/IntegrationTests"),
    // The benchmark server: the peers' three routes on our stack (deploy/bench uses it).
    .executableTarget(name: "bench-server", dependencies: ["ServiceKit", "HTTPCore"], path: "deploy/bench/server"),
    .executableTarget(name: "bench-client", dependencies: ["HTTPCore"], path: "deploy/bench/client"),
    .executableTarget(name: "bench-storage", dependencies: ["Storage"], path: "deploy/bench/storage"),
    .executableTarget(name: "zip-bench", dependencies: ["ZIP"], path: "deploy/bench/zip/runner"),
    .executableTarget(name: "predictor-bench", dependencies: ["Predictor"], path: "deploy/bench/predictor/runner"),
    .executableTarget(name: "tasks-bench", dependencies: ["TaskManager", "ServiceKit", "HTTPCore", "Contracts", "TestSupport"],
                      path: "deploy/bench/tasks/runner"),
    .executableTarget(name: "orchestrator-bench", dependencies: ["Orchestrator", "Storage", "TestSupport"], path: "deploy/bench/orchestrator/runner"),
    // The query API over 1,000,000 recorded interceptions (deploy/bench/aibridge).
    .executableTarget(name: "aibridge-bench", dependencies: ["AIBridgeQuery", "ServiceKit", "Contracts", "Storage", "TestSupport"], path: "deploy/bench/aibridge/runner"),
    // The per-service load tests (deploy/loadtest/run): scenarios and the closed-loop driver,
    // through the gateway with our pooled client and the contract types.
    .target(name: "LoadTest", dependencies: ["HTTPCore", "Contracts", "JSON", "LLMWire"], path: "deploy/loadtest/driver",
            exclude: ["main"], swiftSettings: fast),
    .executableTarget(name: "aidevtools-loadtest", dependencies: ["LoadTest"], path: "deploy/loadtest/driver/main", swiftSettings: fast),
    .testTarget(name: "LoadTestTests", dependencies: ["LoadTest"], path: "Tests/LoadTestTests"),
]

for s in services {
    targets.append(.target(
        name: s.lib,
        dependencies: ["ServiceKit", "HTTPCore", "Contracts", "Crypto"] + s.extra,
        path: "Services/\(s.dir)",
        exclude: ["main"],
        resources: serviceResources[s.dir],
        swiftSettings: fast
    ))
    targets.append(.executableTarget(
        name: s.exe,
        dependencies: [.target(name: s.lib), "ServiceKit"],
        path: "Services/\(s.dir)/main",
        swiftSettings: fast
    ))
    targets.append(.testTarget(
        name: "\(s.lib)Tests",
        dependencies: [.target(name: s.lib), "ServiceKit", "HTTPCore", "JSON", "Subprocess", "TestSupport"],
        path: "Tests/\(s.lib)Tests"
    ))
}

let package = Package(
    name: "AIDevToolsBackend",
    platforms: [.macOS(.v15)],
    products: services.map { .executable(name: $0.exe, targets: [$0.exe]) },
    targets: targets,
    swiftLanguageModes: [.v6]
)
