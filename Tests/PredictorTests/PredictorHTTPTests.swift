import Contracts
import Foundation
import HTTPCore
import ServiceKit
import Synchronization
import Testing
@testable import Predictor
import TestSupport

// MARK: - Fixture

private let corpusFiles: [String: String] = [
    "paths.py": """
    import os
    import sys

    def join_all(parts):
        result = os.path.join(*parts)
        return os.path.normpath(result)

    def exists(path):
        return os.path.exists(path) and os.path.isfile(path)

    base = os.path.dirname(os.path.abspath(__file__))
    config_path = os.path.join(base, "config.ini")
    print(os.path.basename(config_path))

    """,
    "loop.py": """
    def read_lines(path):
        with open(path) as handle:
            for line in handle:
                yield line.strip()

    def main(argv):
        for item in read_lines(argv[1]):
            print(item)
        return 0

    """,
]

private let alice = Identity(userID: "u-alice", name: "alice", roles: ["user"])
private let bob = Identity(userID: "u-bob", name: "bob", roles: ["user"])

private let unusualFile = """
def frobnicate_quaternion_widget(value):
    return value * 2

frobnicate_quaternion_widget(3)
frobnicate_quaternion_widget(4)

"""

private struct Fixture {
    let dir: URL
    let app: Application
    let engine: PredictorEngine
    let metrics: Metrics
    let definition: ServiceDefinition
}

private func tempDir(_ tag: String) throws -> URL {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("pred-http-\(tag)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
    return d
}

private func writeCorpus(_ dir: URL) throws -> URL {
    let c = dir.appendingPathComponent("corpus")
    try FileManager.default.createDirectory(at: c, withIntermediateDirectories: true)
    for (name, text) in corpusFiles { try text.write(to: c.appendingPathComponent(name), atomically: true, encoding: .utf8) }
    return c
}

private func makeFixture(dir: URL? = nil, maxFileBytes: Int = 1024 * 1024, llm: LLMSettings? = nil,
                         startBackground: Bool = true) async throws -> Fixture {
    let d = try dir ?? tempDir("fx")
    var o = PredictorService.Options(corpusDirectory: try writeCorpus(d), dataDirectory: d.appendingPathComponent("data"))
    o.maxFileBytes = maxFileBytes
    o.llm = llm
    let metrics = Metrics()
    let (def, engine) = try await PredictorService.instance(o, logger: Logger(service: "predictor-test", level: .error), metrics: metrics)
    if startBackground { _ = await def.startBackground() }
    return Fixture(dir: d, app: Application(testing: def, metrics: metrics), engine: engine, metrics: metrics, definition: def)
}

private func formEncode(_ pairs: [(String, String)]) -> [UInt8] {
    Array(pairs.map { "\(FormCoding.percentEncode($0.0))=\(FormCoding.percentEncode($0.1))" }.joined(separator: "&").utf8)
}

private let formHeaders: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded"]

private func predictForm(_ fx: Fixture, _ file: String, _ extra: [(String, String)] = [], as who: Identity? = alice) async -> TestResponse {
    await fx.app.call(.POST, "/predict", identity: who, headers: formHeaders, body: formEncode([("current_file", file)] + extra))
}

private func multipartBody(_ fields: [(String, [UInt8])], boundary: String) -> [UInt8] {
    var b: [UInt8] = []
    for (name, value) in fields {
        b += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n".utf8) + value + Array("\r\n".utf8)
    }
    b += Array("--\(boundary)--\r\n".utf8)
    return b
}


private struct ErrorBody: Decodable { var code: Int; var description: String }

private func expectError(_ r: TestResponse, _ status: Int, contains: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.status == status, "body: \(r.text)", sourceLocation: sourceLocation)
    let e = try? r.json(ErrorBody.self)
    #expect(e?.code == status, "body: \(r.text)", sourceLocation: sourceLocation)
    if let contains { #expect(e?.description.contains(contains) == true, "body: \(r.text)", sourceLocation: sourceLocation) }
}

private func upload(_ fx: Fixture, _ files: [String: String], workspace: String = "ws", as who: Identity = alice) async -> TestResponse {
    await fx.app.call(.POST, "/mass_upload", identity: who, json: PredictorAPI.MassUploadRequest(workspace: workspace, files: files))
}

// MARK: - /predict errors

@Test func predictErrors() async throws {
    let fx = try await makeFixture(maxFileBytes: 1000)
    defer { try? FileManager.default.removeItem(at: fx.dir) }
    // missing field
    expectError(await fx.app.call(.POST, "/predict", identity: alice, headers: formHeaders, body: formEncode([("n", "3")])), 400,
                contains: "current_file")
    // no cursor / two cursors
    expectError(await predictForm(fx, "x = 1\n"), 400, contains: "no <cursor>")
    expectError(await predictForm(fx, "x = <cursor>\ny = <cursor>\n"), 400, contains: "more than one")
    // not UTF-8 (raw bytes through percent-encoding, and in a multipart part)
    expectError(await fx.app.call(.POST, "/predict", identity: alice, headers: formHeaders,
                                  body: Array("current_file=x%20%3D%20%FF%FE%3Ccursor%3E".utf8)), 400, contains: "UTF-8")
    expectError(await fx.app.call(.POST, "/predict", identity: alice, headers: ["Content-Type": "multipart/form-data; boundary=XyZ"],
                                  body: multipartBody([("current_file", [0x78, 0xC3, 0x28] + Array("<cursor>".utf8))], boundary: "XyZ")),
                400, contains: "UTF-8")
    // too large
    expectError(await predictForm(fx, String(repeating: "a = 1\n", count: 200) + "<cursor>"), 413)
    // bad n
    for bad in ["0", "11", "abc", "-1"] { expectError(await predictForm(fx, "x = o<cursor>", [("n", bad)]), 400, contains: "'n'") }
    // unknown model names the valid ones
    expectError(await predictForm(fx, "x = o<cursor>", [("model", "gpt-9")]), 400, contains: "auto, ngram, symbols")
    // no identity from the gateway
    let anon = await fx.app.call(.POST, "/predict", headers: formHeaders, body: formEncode([("current_file", "x<cursor>")]))
    #expect(anon.status == 401)
    // unsupported media type, bad JSON
    expectError(await fx.app.call(.POST, "/predict", identity: alice, headers: ["Content-Type": "text/csv"], body: [1]), 415)
    expectError(await fx.app.call(.POST, "/predict", identity: alice, headers: ["Content-Type": "application/json"],
                                  body: Array("{\"current_file\": 5}".utf8)), 400)
}

@Test func malformedMultipartIs400() async throws {
    let fx = try await makeFixture()
    defer { try? FileManager.default.removeItem(at: fx.dir) }
    let file = Array("x = o<cursor>".utf8)
    // no boundary parameter
    expectError(await fx.app.call(.POST, "/predict", identity: alice, headers: ["Content-Type": "multipart/form-data"],
                                  body: multipartBody([("current_file", file)], boundary: "b")), 400, contains: "boundary")
    // part without a name
    let noName = Array("--b\r\nContent-Disposition: form-data\r\n\r\nx<cursor>\r\n--b--\r\n".utf8)
    expectError(await fx.app.call(.POST, "/predict", identity: alice, headers: ["Content-Type": "multipart/form-data; boundary=b"],
                                  body: noName), 400, contains: "multipart")
    // not terminated
    let open = Array("--b\r\nContent-Disposition: form-data; name=\"current_file\"\r\n\r\nx<cursor>".utf8)
    expectError(await fx.app.call(.POST, "/predict", identity: alice, headers: ["Content-Type": "multipart/form-data; boundary=b"],
                                  body: open), 400, contains: "multipart")
    // wrong boundary
    expectError(await fx.app.call(.POST, "/predict", identity: alice, headers: ["Content-Type": "multipart/form-data; boundary=other"],
                                  body: multipartBody([("current_file", file)], boundary: "b")), 400, contains: "multipart")
}

// MARK: - /predict bodies and results

@Test func formMultipartAndJSONBodiesPredictTheTypedPart() async throws {
    let fx = try await makeFixture()
    defer { try? FileManager.default.removeItem(at: fx.dir) }
    let file = "import os\n\nbase = os.path.dirname(__file__)\nfull = os.path.jo<cursor>\nprint(full)\n"
    let form = await predictForm(fx, file)
    let mp = await fx.app.call(.POST, "/predict", identity: alice, headers: ["Content-Type": "multipart/form-data; boundary=--xyz123"],
                               body: multipartBody([("current_file", Array(file.utf8)), ("n", Array("5".utf8))], boundary: "--xyz123"))
    let json = await fx.app.call(.POST, "/predict", identity: alice,
                                 json: PredictorAPI.PredictRequest(currentFile: file, n: 2, language: "python"))
    for (r, maxCount) in [(form, 3), (mp, 5), (json, 2)] {
        #expect(r.status == 200, "\(r.text)")
        #expect(r.headers["Content-Type"]?.hasPrefix("application/json") == true)
        let p = try r.json(PredictorAPI.PredictResponse.self).predictions
        #expect(!p.isEmpty && p.count <= maxCount)
        #expect(p.first?.hasPrefix("join") == true, "\(p)")
        #expect(p.allSatisfy { $0.hasPrefix("jo") && !$0.contains("\n") && !$0.isEmpty })
        #expect(Set(p).count == p.count)
    }
    #expect(fx.metrics.value("predictions_total", labels: [("model", "auto")]) == 3)
    let named = await predictForm(fx, file, [("model", "symbols"), ("n", "1")])
    #expect(named.status == 200)
    #expect(try named.json(PredictorAPI.PredictResponse.self).predictions.count <= 1)
    #expect(fx.metrics.value("predictions_total", labels: [("model", "symbols")]) == 1)
}

@Test func partialIdentifierAtEndOfLineDoesNotRunPastIt() async throws {
    let fx = try await makeFixture()
    defer { try? FileManager.default.removeItem(at: fx.dir) }
    let r = await predictForm(fx, "def main(argv):\n    for item in read_l<cursor>\n", [("n", "10")])
    let p = try r.json(PredictorAPI.PredictResponse.self).predictions
    #expect(p.first?.hasPrefix("read_lines") == true, "\(p)")
    #expect(p.allSatisfy { $0.hasPrefix("read_l") && !$0.contains("\n") })
}

// MARK: - /mass_upload

@Test func uploadStoresFilesAndPersonalisesOnlyThatUser() async throws {
    let fx = try await makeFixture()
    defer { try? FileManager.default.removeItem(at: fx.dir) }
    let r = await upload(fx, ["pkg/widgets.py": unusualFile, "README.md": "frobnicate docs"])
    #expect(r.status == 200)
    #expect(r.text == "Successfully uploaded files to the bucket.")
    #expect(r.headers["Content-Type"]?.hasPrefix("text/plain") == true)
    let stored = fx.dir.appendingPathComponent("data/blobs/u-alice/ws/pkg/widgets.py")
    #expect(try String(contentsOf: stored, encoding: .utf8) == unusualFile)
    #expect(FileManager.default.fileExists(atPath: fx.dir.appendingPathComponent("data/blobs/u-alice/ws/README.md").path))

    let file = "import os\n\nresult = frob<cursor>\n"
    let a = try await predictForm(fx, file).json(PredictorAPI.PredictResponse.self).predictions
    #expect(a.first?.hasPrefix("frobnicate_quaternion_widget") == true, "\(a)")
    let b = try await predictForm(fx, file, as: bob).json(PredictorAPI.PredictResponse.self).predictions
    #expect(!b.contains { $0.contains("frobnicate") }, "\(b)")

    // A new version replaces the old one, in the bucket and in the model.
    #expect(await upload(fx, ["pkg/widgets.py": "def completely_other_name():\n    pass\n"]).status == 200)
    #expect(try String(contentsOf: stored, encoding: .utf8).contains("completely_other_name"))
    let again = try await predictForm(fx, file).json(PredictorAPI.PredictResponse.self).predictions
    #expect(!again.contains { $0.contains("frobnicate_quaternion_widget") }, "\(again)")
}

@Test func badUploadPathsRejectTheWholeUpload() async throws {
    let fx = try await makeFixture()
    defer { try? FileManager.default.removeItem(at: fx.dir) }
    let bad = ["../x.py", "/abs.py", "a/\u{0}b.py", "a\\..\\b.py", "a//b.py", "a/./b.py", "C:/x.py", "a/../../b.py",
               String(repeating: "d/", count: 600) + "x.py", ""]
    for p in bad {
        let r = await upload(fx, ["good.py": unusualFile, p: "x = 1\n"])
        expectError(r, 400, contains: "path")
    }
    expectError(await upload(fx, ["good.py": unusualFile], workspace: "../escape"), 400)
    expectError(await upload(fx, ["good.py": unusualFile], workspace: "a/b"), 400)
    expectError(await upload(fx, ["a": "x", "a/b.py": "y"]), 400)
    // Nothing was stored, and the model did not learn the good file either.
    #expect(!FileManager.default.fileExists(atPath: fx.dir.appendingPathComponent("data/blobs/u-alice").path))
    #expect(!FileManager.default.fileExists(atPath: fx.dir.appendingPathComponent("x.py").path))
    #expect(await fx.engine.userModel("u-alice") == nil)
    let p = try await predictForm(fx, "r = frob<cursor>\n").json(PredictorAPI.PredictResponse.self).predictions
    #expect(!p.contains { $0.contains("frobnicate") })
    // Body errors.
    expectError(await fx.app.call(.POST, "/mass_upload", identity: alice, headers: ["Content-Type": "application/json"],
                                  body: Array("{\"workspace\": \"w\"}".utf8)), 400, contains: "files")
    let anon = await fx.app.call(.POST, "/mass_upload", headers: ["Content-Type": "application/json"],
                                 body: Array("{\"workspace\":\"w\",\"files\":{}}".utf8))
    #expect(anon.status == 401)
}

@Test func uploadedFileOverTheLimitIs413() async throws {
    let fx = try await makeFixture(maxFileBytes: 100)
    defer { try? FileManager.default.removeItem(at: fx.dir) }
    expectError(await upload(fx, ["big.py": String(repeating: "x = 1\n", count: 50)]), 413)
    #expect(!FileManager.default.fileExists(atPath: fx.dir.appendingPathComponent("data/blobs/u-alice").path))
}

@Test func restartKeepsThePersonalModel() async throws {
    let dir = try tempDir("restart")
    defer { try? FileManager.default.removeItem(at: dir) }
    do {
        let fx = try await makeFixture(dir: dir)
        #expect(await upload(fx, ["lib/widgets.py": unusualFile]).status == 200)
    }
    let fx2 = try await makeFixture(dir: dir)  // a new engine on the same DATA_DIR
    let p = try await predictForm(fx2, "value = frob<cursor>\n").json(PredictorAPI.PredictResponse.self).predictions
    #expect(p.first?.hasPrefix("frobnicate_quaternion_widget") == true, "\(p)")
    let b = try await predictForm(fx2, "value = frob<cursor>\n", as: bob).json(PredictorAPI.PredictResponse.self).predictions
    #expect(!b.contains { $0.contains("frobnicate") })
    // The base model was cached under DATA_DIR/models.
    let models = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("data/models").path)
    #expect(models.contains { $0.hasPrefix("base-") })
}

@Test func uploadPathValidationUnit() throws {
    for ok in ["a.py", "pkg/sub/mod.py", "name with spaces.py", "ünïcode/ok.py", ".hidden/x.py", "a..b.py"] {
        #expect(throws: Never.self) { try UploadPaths.validate(ok) }
    }
    for bad in ["..", "../a", "a/..", "/a", "\\a", "a\u{0}", "a\nb", "~/a", "c:x", "a/"] {
        #expect(throws: UploadPathError.self) { try UploadPaths.validate(bad) }
    }
    #expect(UploadPaths.userComponent("u-alice") == "u-alice")
    #expect(UploadPaths.userComponent("../root") == "x2e2e2f726f6f74")
    #expect(UploadPaths.userComponent("ü") == "xc3bc")
}

// MARK: - readiness

@Test func healthIsStartingUntilTheBaseModelIsLoadedAndAColdPredictWaitsForIt() async throws {
    let fx = try await makeFixture(startBackground: false)
    let before = await fx.app.call(.GET, "/health")
    #expect(before.status == 503 && before.text.contains("starting"))
    // A prediction that arrives before the base model waits for it instead of answering
    // from the file alone: `normpath` is known from the corpus only.
    async let cold = predictForm(fx, "import os\nx = os.path.normp<cursor>\n")
    try await Task.sleep(for: .milliseconds(50))
    let work = await fx.definition.startBackground()
    let answer = await cold
    #expect(answer.status == 200)
    #expect(answer.text.contains("normpath"), "\(answer.text)")
    #expect(await fx.app.call(.GET, "/health").status == 200)
    await work.stop()
}

// MARK: - settings

@Test func settingsAreReadFromTheEnvironment() throws {
    let names = PredictorService.settings.map(\.name)
    for n in ["CORPUS_DIR", "MAX_FILE_BYTES", "LLM_BASE_URL", "LLM_API_KEY", "LLM_MODEL", "LLM_TIMEOUT_MS"] { #expect(names.contains(n)) }
    #expect(PredictorService.settings.first { $0.name == "LLM_API_KEY" }?.secret == true)
    let dir = try tempDir("cfg")
    defer { try? FileManager.default.removeItem(at: dir) }
    let settings = Config.common(service: "predictor", port: 8081) + PredictorService.settings
    let off = try PredictorService.Options(config: Config(service: "predictor", settings: settings, environment: ["DATA_DIR": dir.path]))
    #expect(off.llm == nil && off.corpusDirectory == nil && off.maxFileBytes == 1024 * 1024)
    let on = try PredictorService.Options(config: Config(service: "predictor", settings: settings, environment: [
        "DATA_DIR": dir.path, "LLM_BASE_URL": "http://127.0.0.1:9/v1/", "LLM_MODEL": "m", "LLM_TIMEOUT_MS": "250",
        "MAX_FILE_BYTES": "2048", "CORPUS_DIR": "/tmp/corpus"]))
    #expect(on.llm?.baseURL == "http://127.0.0.1:9/v1" && on.llm?.timeout == .milliseconds(250) && on.llm?.model == "m")
    #expect(on.maxFileBytes == 2048 && on.corpusDirectory?.path == "/tmp/corpus")
    #expect(Config(service: "predictor", settings: settings, environment: ["LLM_API_KEY": "sekrit"]).helpText().contains("sekrit") == false)
}

// MARK: - llm

/// A local OpenAI-compatible `/completions` server recording what it gets.
private final class FakeLLM: Sendable {
    struct Seen: Sendable { var path: String; var headers: HTTPHeaders; var body: [String: any Sendable] }
    let server: HTTPServer

    init(delay: Duration = .zero, texts: [String]) throws {
        let recorder = Recorder()
        server = HTTPServer(configuration: HTTPServerConfiguration.testing()) { req in
            let bytes = (try? await req.body.collect(upTo: 1 << 22)) ?? []
            let obj = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: any Sendable] ?? [:]
            recorder.add(Seen(path: req.path, headers: req.headers, body: obj))
            if delay > .zero { try? await Task.sleep(for: delay) }
            let choices = texts.map { ["text": $0, "index": 0, "finish_reason": "stop"] as [String: any Sendable] }
            let out = try! JSONSerialization.data(withJSONObject: ["id": "cmpl-1", "object": "text_completion", "choices": choices])
            return HTTPResponse(status: .ok, contentType: "application/json", body: Array(out))
        }
        self.recorder = recorder
        try server.start()
    }
    let recorder: Recorder
    var requests: [Seen] { recorder.all }
    var baseURL: String { "http://127.0.0.1:\(server.port)/api/v2/aibridge/openai/v1" }

    final class Recorder: Sendable {
        let items = Mutex<[Seen]>([])
        func add(_ s: Seen) { items.withLock { $0.append(s) } }
        var all: [Seen] { items.withLock { $0 } }
    }
}

@Test func llmModelCallsTheCompletionsEndpointAndNormalises() async throws {
    let fake = try FakeLLM(texts: ["ulate_the_answer(x)\nmore lines", "ulate_the_answer(x)", "ulator = 3  ", "\n"])
    defer { Task { await fake.server.shutdown(gracePeriod: .milliseconds(100)) } }
    let fx = try await makeFixture(llm: LLMSettings(baseURL: fake.baseURL, apiKey: "k-123", model: "qwen-coder", timeout: .seconds(300)))
    defer { try? FileManager.default.removeItem(at: fx.dir) }
    let file = "import os\n\ny = calc<cursor>\nprint(y)\n"
    let r = await predictForm(fx, file, [("model", "llm"), ("n", "4")])
    #expect(r.status == 200, "\(r.text)")
    let p = try r.json(PredictorAPI.PredictResponse.self).predictions
    #expect(p == ["calculate_the_answer(x)", "calculator = 3"])
    let req = try #require(fake.requests.first)
    #expect(req.path == "/api/v2/aibridge/openai/v1/completions")
    #expect(req.headers["Authorization"] == "Bearer k-123")
    #expect(req.headers["X-AIBridge-Session-Id"] == LLMClient.sessionID(user: "u-alice"))
    #expect(req.body["prompt"] as? String == "import os\n\ny = calc")
    #expect(req.body["suffix"] as? String == "\nprint(y)\n")
    #expect(req.body["model"] as? String == "qwen-coder")
    #expect(req.body["stop"] as? [String] == ["\n"])
    #expect(req.body["n"] as? Int == 4)
    #expect(req.body["max_tokens"] as? Int != nil)
    #expect(fx.metrics.value("predictions_total", labels: [("model", "llm")]) == 1)
    #expect(fx.metrics.value("llm_calls_total", labels: [("outcome", "ok")]) == 1)

    // `auto` merges the llm's candidates with the local ones.
    let auto = try await predictForm(fx, "import os\nx = os.path.jo<cursor>\n", [("n", "6")]).json(PredictorAPI.PredictResponse.self).predictions
    #expect(auto.contains { $0.hasPrefix("join") })
    #expect(auto.contains("joulate_the_answer(x)"))
    #expect(auto.allSatisfy { $0.hasPrefix("jo") })
    #expect(fx.metrics.value("llm_calls_total", labels: [("outcome", "ok")]) == 2)
}

@Test func llmTimeoutFallsBackToLocalModels() async throws {
    // The fake answers after 60 s; the budget is 150 ms. Had the service waited for it, its
    // candidate would be in the answer and the outcome would be "ok", not "timeout".
    let fake = try FakeLLM(delay: .seconds(60), texts: ["in_from_the_llm"])
    defer { Task { await fake.server.shutdown(gracePeriod: .milliseconds(100)) } }
    let fx = try await makeFixture(llm: LLMSettings(baseURL: fake.baseURL, timeout: .milliseconds(150)))
    defer { try? FileManager.default.removeItem(at: fx.dir) }
    let file = "import os\nx = os.path.jo<cursor>\n"
    let r = await predictForm(fx, file, [("model", "llm")])
    #expect(r.status == 200)
    let p = try r.json(PredictorAPI.PredictResponse.self).predictions
    #expect(p.first?.hasPrefix("join") == true, "\(p)")
    #expect(!p.contains { $0.contains("from_the_llm") })
    #expect(fx.metrics.value("llm_calls_total", labels: [("outcome", "timeout")]) == 1)
    #expect(fx.metrics.value("llm_calls_total", labels: [("outcome", "ok")]) == nil)
    // auto too answers with local candidates when the llm misses its budget.
    let a = try await predictForm(fx, file).json(PredictorAPI.PredictResponse.self).predictions
    #expect(a.first?.hasPrefix("join") == true)
    #expect(!a.contains { $0.contains("from_the_llm") })
    #expect(fx.metrics.value("llm_calls_total", labels: [("outcome", "timeout")]) == 2)
}

/// Through aibridge-query's bridge (`bridgeInternalToken` set), a call carries the internal
/// token and the requesting user's identity, so the bridge records it under that user, with
/// the user's session and `predictor/1` as the client; the API key is not sent.
@Test func llmThroughTheBridgeCarriesTheUsersIdentity() async throws {
    let fake = try FakeLLM(texts: ["ulate(x)"])
    defer { Task { await fake.server.shutdown(gracePeriod: .milliseconds(100)) } }
    let fx = try await makeFixture(llm: LLMSettings(baseURL: fake.baseURL, apiKey: "k-not-for-the-bridge", model: "m",
                                                    timeout: .seconds(300), bridgeInternalToken: "tok-123"))
    defer { try? FileManager.default.removeItem(at: fx.dir) }
    let r = await predictForm(fx, "y = calc<cursor>\n", [("model", "llm")])
    #expect(r.status == 200, "\(r.text)")
    #expect(try r.json(PredictorAPI.PredictResponse.self).predictions == ["calculate(x)"])
    let seen = try #require(fake.requests.first)
    #expect(seen.path == "/api/v2/aibridge/openai/v1/completions")
    #expect(seen.headers[IdentityHeaders.internalToken] == "tok-123")
    #expect(seen.headers[IdentityHeaders.userID] == "u-alice")
    #expect(seen.headers[IdentityHeaders.userName] == "alice")
    #expect(seen.headers[IdentityHeaders.roles] == "user")
    #expect(seen.headers["X-AIBridge-Session-Id"] == LLMClient.sessionID(user: "u-alice"))
    #expect(seen.headers["User-Agent"] == LLMClient.userAgent)
    #expect(seen.headers["Authorization"] == nil)
}

/// The llm model is on when LLM_MODEL or LLM_BASE_URL is set; its base URL is the bridge
/// unless LLM_BASE_URL names another upstream, and only calls to the bridge carry the token.
@Test func llmDefaultsToTheBridge() throws {
    let dir = try tempDir("bridge-cfg")
    defer { try? FileManager.default.removeItem(at: dir) }
    let settings = Config.common(service: "predictor", port: 8081) + PredictorService.settings
    func options(_ env: [String: String]) throws -> PredictorOptions {
        try PredictorService.Options(config: Config(service: "predictor", settings: settings,
                                                    environment: env.merging(["DATA_DIR": dir.path, "INTERNAL_TOKEN": "tok"]) { $1 }))
    }
    #expect(try options([:]).llm == nil)
    let viaBridge = try #require(try options(["LLM_MODEL": "qwen", "AIBRIDGE_URL": "http://127.0.0.1:9083/"]).llm)
    #expect(viaBridge.baseURL == "http://127.0.0.1:9083/api/v2/aibridge/openai/v1")
    #expect(viaBridge.bridgeInternalToken == "tok")
    #expect(viaBridge.model == "qwen")
    let defaultBridge = try #require(try options(["LLM_MODEL": "qwen"]).llm)
    #expect(defaultBridge.baseURL == "http://127.0.0.1:8083/api/v2/aibridge/openai/v1")
    #expect(defaultBridge.bridgeInternalToken == "tok")
    let explicitBridge = try #require(try options(["LLM_BASE_URL": "http://127.0.0.1:9083/api/v2/aibridge/openai/v1",
                                                   "AIBRIDGE_URL": "http://127.0.0.1:9083"]).llm)
    #expect(explicitBridge.bridgeInternalToken == "tok")
    let direct = try #require(try options(["LLM_BASE_URL": "http://127.0.0.1:9/v1", "LLM_MODEL": "qwen", "LLM_API_KEY": "k"]).llm)
    #expect(direct.baseURL == "http://127.0.0.1:9/v1")
    #expect(direct.bridgeInternalToken == nil)
    // Direct calls keep the key and never carry the internal token.
    let headers = LLMClient.headers(direct, identity: alice)
    #expect(headers["Authorization"] == "Bearer k")
    #expect(headers[IdentityHeaders.internalToken] == nil && headers[IdentityHeaders.userID] == nil)
}

@Test func llmUnreachableFallsBack() async throws {
    // A port bound but not listening refuses every connection, and no other test takes it.
    let refusing = TestSupport.RefusingPort()
    let fx = try await makeFixture(llm: LLMSettings(baseURL: "http://127.0.0.1:\(refusing.port)/v1", timeout: .milliseconds(300)))
    defer { try? FileManager.default.removeItem(at: fx.dir) }
    let p = try await predictForm(fx, "import os\nx = os.path.jo<cursor>\n", [("model", "llm")]).json(PredictorAPI.PredictResponse.self).predictions
    #expect(p.first?.hasPrefix("join") == true)
    refusing.release()
}
