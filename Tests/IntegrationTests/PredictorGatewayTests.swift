import Foundation
import Testing

/// The predictor behind the real gateway: users and keys made with the gateway's CLI, a
/// session from `/session`, then `/predict` (the original client's form body) and `/mass_upload`.
@Suite(.serialized) struct PredictorGatewayTests {
    static let unusual = """
    def frobnicate_quaternion_widget(value):
        return value * 2

    frobnicate_quaternion_widget(3)
    frobnicate_quaternion_widget(4)

    """

    /// A user with role `user` and a new API key.
    static func makeUser(_ system: SystemHarness, _ name: String) async throws -> String {
        let key = try await system.createUser(name, roles: ["user"])
        #expect(key.hasPrefix("cbk_"))
        return key
    }

    static func form(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
    }

    static func json(_ body: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }

    struct Client {
        let port: Int
        let session: String
        func predict(_ file: String, _ extra: [(String, String)] = [], session: String? = nil) async throws -> SimpleHTTP.Response {
            try await SimpleHTTP.request("POST", port: port, path: "/predict",
                                   headers: ["Session-ID": session ?? self.session, "Content-Type": "application/x-www-form-urlencoded"],
                                   body: PredictorGatewayTests.form([("current_file", file)] + extra))
        }
        func predictions(_ file: String) async throws -> [String] {
            let r = try await predict(file)
            guard r.status == 200, let p = PredictorGatewayTests.json(r.body)?["predictions"] as? [String] else {
                throw HarnessError(message: "predict: \(r.status) \(r.body)")
            }
            return p
        }
        func upload(_ workspace: String, _ files: [String: String]) async throws -> SimpleHTTP.Response {
            let body = try JSONSerialization.data(withJSONObject: ["workspace": workspace, "files": files])
            return try await SimpleHTTP.request("POST", port: port, path: "/mass_upload",
                                          headers: ["Session-ID": session, "Content-Type": "application/json"],
                                          body: String(decoding: body, as: UTF8.self))
        }
    }

    static func start(legacy: Bool) async throws -> (SystemHarness, alice: Client, bob: Client) {
        let system = try SystemHarness()
        let corpus = system.dataRoot.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        try """
        import os

        def join_all(parts):
            return os.path.join(*parts)

        base = os.path.dirname(os.path.abspath(__file__))
        print(os.path.join(base, "x"))

        """.write(to: corpus.appendingPathComponent("paths.py"), atomically: true, encoding: .utf8)
        // Users and keys before the start, so no "no such key" is cached.
        let aliceKey = try await makeUser(system, "alice")
        let bobKey = try await makeUser(system, "bob")
        try await system.startAll(extraEnvironment: ["CORPUS_DIR": corpus.path, "AUTH_CACHE_TTL_S": "0",
                                               "LEGACY_CLIENT_ERRORS": legacy ? "1" : "0"])
        do {
            let gw = try #require(system.services["auth-gateway"]?.port)
            func session(_ key: String) async throws -> String {
                let r = try await SimpleHTTP.get(port: gw, path: "/session", headers: ["API-Key": key])
                guard r.status == 200 else { throw HarnessError(message: "session: \(r.status) \(r.body)") }
                return r.body.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return (system, Client(port: gw, session: try await session(aliceKey)), Client(port: gw, session: try await session(bobKey)))
        } catch {
            _ = await system.stopAll()
            throw error
        }
    }

    static func expectError(_ r: SimpleHTTP.Response, status: Int, code: Int, contains: String? = nil,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == status, "\(r.body)", sourceLocation: sourceLocation)
        let o = json(r.body)
        #expect(o?["code"] as? Int == code, "\(r.body)", sourceLocation: sourceLocation)
        #expect(o?["description"] is String, "\(r.body)", sourceLocation: sourceLocation)
        if let contains { #expect((o?["description"] as? String)?.contains(contains) == true, "\(r.body)", sourceLocation: sourceLocation) }
    }

    @Test func predictAndUploadThroughTheGateway() async throws {
        let (system, alice, bob) = try await Self.start(legacy: false)
        defer { system.terminateAll() }

        // The original client's request: a form with the whole file.
        let p = try await alice.predictions("import os\nfull = os.path.jo<cursor>\n")
        #expect(p.first?.hasPrefix("join") == true, "\(p)")
        #expect(p.allSatisfy { $0.hasPrefix("jo") && !$0.contains("\n") })

        // Upload a workspace; the unusual identifier reaches alice's predictions only.
        let up = try await alice.upload("proj", ["pkg/widgets.py": Self.unusual, "notes.txt": "hello"])
        #expect(up.status == 200)
        #expect(up.body == "Successfully uploaded files to the bucket.")
        #expect(up.headers["content-type"]?.hasPrefix("text/plain") == true)
        let a = try await alice.predictions("import os\n\nresult = frob<cursor>\n")
        #expect(a.first?.hasPrefix("frobnicate_quaternion_widget") == true, "\(a)")
        let b = try await bob.predictions("import os\n\nresult = frob<cursor>\n")
        #expect(!b.contains { $0.contains("frobnicate") }, "\(b)")

        // Stored in the predictor's bucket under <user>/<workspace>/<path>.
        let blobs = system.dataRoot.appendingPathComponent("predictor/blobs")
        let users = try FileManager.default.contentsOfDirectory(atPath: blobs.path)
        #expect(users.count == 1)
        let stored = blobs.appendingPathComponent("\(users[0])/proj/pkg/widgets.py")
        #expect((try? String(contentsOf: stored, encoding: .utf8)) == Self.unusual)

        // Errors keep their status and the {"code","description"} body through the gateway.
        Self.expectError(try await alice.predict("x = 1\n"), status: 400, code: 400, contains: "<cursor>")
        Self.expectError(try await alice.predict("a<cursor> b<cursor>"), status: 400, code: 400, contains: "more than one")
        Self.expectError(try await alice.predict("x<cursor>", [("n", "11")]), status: 400, code: 400)
        Self.expectError(try await alice.predict("x<cursor>", [("model", "nope")]), status: 400, code: 400, contains: "ngram")
        Self.expectError(try await SimpleHTTP.request("POST", port: alice.port, path: "/predict",
                                                headers: ["Session-ID": alice.session, "Content-Type": "application/x-www-form-urlencoded"],
                                                body: "n=2"), status: 400, code: 400, contains: "current_file")
        Self.expectError(try await alice.upload("proj", ["ok.py": "x = 1\n", "../evil.py": "x"]), status: 400, code: 400, contains: "path")
        #expect(!FileManager.default.fileExists(atPath: blobs.appendingPathComponent("\(users[0])/proj/ok.py").path))
        Self.expectError(try await alice.upload("proj", ["/etc/passwd": "x"]), status: 400, code: 400)
        Self.expectError(try await SimpleHTTP.request("POST", port: alice.port, path: "/predict",
                                                headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                                body: "current_file=x%3Ccursor%3E"), status: 401, code: 401)
        Self.expectError(try await alice.predict("x<cursor>", session: "not-a-session"), status: 403, code: 403)
        // Too large (default MAX_FILE_BYTES 1 MiB).
        let big = String(repeating: "x = 1\n", count: 200_000) + "<cursor>"
        Self.expectError(try await alice.predict(big), status: 413, code: 413)

        // Everything the predictor wrote (blobs, the personal model, the base model's cache)
        // is private to its user: directories 0700, files 0600 (issue 10, finding 11).
        let written = system.dataRoot.appendingPathComponent("predictor")
        #expect(FileManager.default.fileExists(atPath: written.appendingPathComponent("users").path))
        let loose = Self.looseModes(under: written)
        #expect(loose.isEmpty, "\(loose)")
        _ = await system.stopAll()
    }

    /// Paths below `root` (root included) that are not 0700 (directories) or 0600 (files).
    static func looseModes(under root: URL) -> [String] {
        var paths = [root.path]
        if let entries = FileManager.default.enumerator(atPath: root.path) {
            while let relative = entries.nextObject() as? String { paths.append(root.appendingPathComponent(relative).path) }
        }
        return paths.compactMap { path in
            var status = stat()
            guard lstat(path, &status) == 0 else { return nil }
            let expected: mode_t = (status.st_mode & S_IFMT) == S_IFDIR ? 0o700 : 0o600
            return status.st_mode & 0o777 == expected ? nil : "\(path) \(String(status.st_mode & 0o777, radix: 8))"
        }
    }

    @Test func legacyClientErrorsAnswer200WithTheCode() async throws {
        let (system, alice, _) = try await Self.start(legacy: true)
        defer { system.terminateAll() }
        Self.expectError(try await alice.predict("no cursor here"), status: 200, code: 400, contains: "<cursor>")
        Self.expectError(try await alice.predict("x<cursor>", session: "expired-or-unknown"), status: 200, code: 403)
        Self.expectError(try await alice.upload("w", ["..": "x"]), status: 200, code: 400)
        #expect(try await alice.predictions("import os\nx = os.path.jo<cursor>\n").first?.hasPrefix("join") == true)
        _ = await system.stopAll()
    }
}
