import Contracts
import Foundation
import HTTPCore
import ServiceKit
import Synchronization
import TestSupport
@testable import CodeRunner

/// A code-runner built as ServiceMain would build it, over temporary directories, with
/// the project's venv (`TEST_PYTHON`, set by deploy/test; else deploy/.venv), started
/// (zygote ready) and called in-process as the gateway would call it.
struct CodeRunnerFixture: Sendable {
    let app: Application
    let pool: KernelPool
    let options: CodeRunnerOptions
    let work: BackgroundWork
    let root: URL

    /// Each fixture's kernels get uids of their own: fixtures run side by side, and a
    /// kernel's stop kills every process of its uid.
    private static let counter = Atomic<Int>(0)

    static let alice = Identity(userID: "alice", name: "alice", roles: ["user"])
    static let bob = Identity(userID: "bob", name: "bob", roles: ["user"])
    static let carol = Identity(userID: "carol", name: "carol", roles: ["user"])

    /// The project's interpreter.
    static var python: String {
        if let given = ProcessInfo.processInfo.environment["TEST_PYTHON"], !given.isEmpty { return given }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent("deploy/.venv/bin/python").path
    }

    /// A started service; `configure` changes the options first; `dataDirectory` reuses one
    /// (a restart).
    static func start(dataDirectory: URL? = nil, httpClient: HTTPClient? = nil,
                      configure: (inout CodeRunnerOptions) -> Void = { _ in }) async throws -> CodeRunnerFixture {
        let number = counter.add(1, ordering: .relaxed).newValue
        if number == 1 { removeLeftovers() }
        let root = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("code-runner-test-\(getpid())-\(number)-\(UInt32.random(in: 0...UInt32.max))")
        // Kernels (other uids) must be able to walk to their directories under `root`.
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let data = dataDirectory ?? root.appendingPathComponent("data")
        var options = CodeRunnerOptions(dataDirectory: data, python: python, workDirectory: root.appendingPathComponent("work"))
        options.kernelUIDBase = 1_400_000_000 + Int(getpid() % 100_000) * 1000 + (number % 60) * 16
        options.maxKernels = 4
        options.scratchKernels = 1
        options.kernelMemoryBytes = 512 * 1024 * 1024
        options.kernelFileBytes = 16 * 1024 * 1024
        options.kernelProcesses = 32
        options.executeTimeout = .seconds(60)
        options.maxUploadBytes = 1024 * 1024
        options.aibridgeURL = nil
        options.internalToken = "test-internal-token"
        configure(&options)
        let (definition, pool) = try await CodeRunnerService.parts(options, logger: Logger(service: "code-runner", level: ProcessInfo.processInfo.environment["CODE_RUNNER_TEST_LOG"] == nil ? .error : .debug),
                                                                   metrics: Metrics(), httpClient: httpClient)
        let work = await definition.startBackground(readyWithin: .seconds(120))
        return CodeRunnerFixture(app: Application(testing: definition), pool: pool, options: options, work: work, root: root)
    }

    /// Removes the directories of fixtures whose test process is gone (a `defer`red close
    /// may not run before the process exits).
    static func removeLeftovers() {
        let temporary = URL(fileURLWithPath: NSTemporaryDirectory())
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
            where name.hasPrefix("code-runner-test-") {
            let parts = name.split(separator: "-")
            guard parts.count > 3, let pid = Int32(parts[3]), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
        }
    }

    /// Stops the kernels and removes the directories.
    func close() async {
        await work.stop()
        await pool.shutdown()
        try? FileManager.default.removeItem(at: root)
    }

    /// `POST /code/execute` as `identity`; the decoded answer (and the status).
    func execute(_ code: String, as identity: Identity = alice, session: String? = nil, messageID: Int? = nil) async throws
        -> CodeRunnerAPI.ExecuteResponse {
        let response = await app.call(.POST, "/code/execute", identity: identity,
                                      json: CodeRunnerAPI.ExecuteRequest(code: code, sessionID: session, messageID: messageID))
        guard response.status == 200 else { throw UnexpectedStatus(status: response.status, body: response.text) }
        return try response.json(CodeRunnerAPI.ExecuteResponse.self)
    }

    /// `call` with a JSON body.
    func post<T: Encodable>(_ path: String, as identity: Identity? = alice, json: T) async -> TestResponse {
        await app.call(.POST, path, identity: identity, json: json)
    }

    /// A multipart body with `file` (and `name`, `description` when given).
    static func multipart(file: [UInt8], fileName: String = "data.csv", name: String? = nil,
                          description: String? = nil) -> (body: [UInt8], contentType: String) {
        let boundary = "----code-runner-test-boundary"
        var body: [UInt8] = []
        func add(_ text: String) { body.append(contentsOf: Array(text.utf8)) }
        add("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: text/csv\r\n\r\n")
        body.append(contentsOf: file)
        add("\r\n")
        for (field, value) in [("name", name), ("description", description)] {
            guard let value else { continue }
            add("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"\r\n\r\n\(value)\r\n")
        }
        add("--\(boundary)--\r\n")
        return (body, "multipart/form-data; boundary=\(boundary)")
    }

    /// `POST /upload_dataframe` as `identity`.
    func upload(_ file: [UInt8], as identity: Identity = alice, name: String? = nil, description: String? = nil,
                session: String? = nil) async -> TestResponse {
        let (body, contentType) = Self.multipart(file: file, name: name, description: description)
        var headers: HTTPHeaders = ["Content-Type": contentType]
        if let session { headers.set("X-Session-ID", session) }
        return await app.call(.POST, "/upload_dataframe", identity: identity, headers: headers, body: body)
    }
}

/// A response other than the one a test expected.
struct UnexpectedStatus: Error, CustomStringConvertible {
    let status: Int
    let body: String
    var description: String { "HTTP \(status): \(body.prefix(500))" }
}
