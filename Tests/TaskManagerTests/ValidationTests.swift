import Contracts
import Foundation
import Testing
@testable import TaskManager
import TestSupport

/// `POST /api/tasks/validate`: a task id or a path inside the tasks root (anything outside
/// is a 400 before any read), Harbor's refusals as errors, its lint findings as warnings.
@Suite("tasks: validation")
struct ValidationTests {
    typealias API = TaskManagerAPI

    func validate(_ fx: TaskManagerFixture, _ path: String) async throws -> API.ValidationResult {
        let response = await fx.call(.POST, "/api/tasks/validate", body: API.ValidateTaskRequest(taskPath: path))
        guard response.status == 200 else { throw FixtureError(message: "validate answered \(response.status): \(response.text)") }
        return try response.json(API.ValidationResult.self)
    }

    @Test func aCreatedTaskIsValidByIdAndByPath() async throws {
        let fx = try await TaskManagerFixture()
        let created = try await fx.create("Valid", description: "ok", files: ["solution/solve.sh": "true\n"])
        for path in [created.id, created.path, created.path + "/", "./\(created.id)", "\(created.id)/../\(created.id)"] {
            let result = try await validate(fx, path)
            #expect(result.valid, "\(path): \(result.errors)")
            #expect(result.errors.isEmpty && result.warnings.isEmpty, "\(path): \(result)")
        }
        let noSolution = try await fx.create("No solution")
        let result = try await validate(fx, noSolution.id)
        #expect(result.valid && result.warnings == ["no solution/solve.sh (Harbor's oracle agent cannot check the task)"])
        await fx.close()
    }

    @Test func pathsOutsideTheRootAre400AndNeverRead() async throws {
        let fx = try await TaskManagerFixture()
        let created = try await fx.create("Inside")
        // A symbolic link inside the root pointing out of it.
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("tm-outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: fx.tasksRoot.appendingPathComponent("escape"), withDestinationURL: outside)
        for path in ["/etc", "/", "..", "../..", "../tasks.sqlite", fx.tasksRoot.path, fx.tasksRoot.path + "/..", "\(created.id)/../..",
                     "/tmp", "escape", "escape/x", fx.dataDirectory.path, "a\u{0}b"] {
            let response = await fx.call(.POST, "/api/tasks/validate", body: API.ValidateTaskRequest(taskPath: path))
            #expect(response.status == 400, "\(path): \(response.text)")
        }
        for path in ["no-such-task", "\(created.id)/tests/test.sh", ".staging", "nested/dir"] {
            let response = await fx.call(.POST, "/api/tasks/validate", body: API.ValidateTaskRequest(taskPath: path))
            #expect(response.status == 404, "\(path): \(response.text)")
        }
        #expect(await fx.call(.POST, "/api/tasks/validate", json: #"{"taskPath":""}"#).status == 400)
        #expect(await fx.call(.POST, "/api/tasks/validate", json: #"{"path":"x"}"#).status == 422)
        #expect(await fx.call(.POST, "/api/tasks/validate", json: "{").status == 400)
        try? FileManager.default.removeItem(at: outside)
        await fx.close()
    }

    /// Writes `files` as a task directory `name` under the root (by hand, bypassing the API).
    func write(_ files: [String: String], as name: String, in fx: TaskManagerFixture) throws {
        let directory = fx.tasksRoot.appendingPathComponent(name)
        for (path, text) in files {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    static let good: [String: String] = [
        "task.toml": "schema_version = \"1.4\"\n[task]\nname = \"org/good\"\n[verifier]\ntimeout_sec = 600.0\n",
        "instruction.md": "Do it.\n", "environment/Dockerfile": "FROM python:3.12-slim\n",
        "tests/test.sh": "#!/bin/bash\necho 1 > /logs/verifier/reward.txt\n", "solution/solve.sh": "true\n",
    ]

    static func with(_ changes: [String: String?]) -> [String: String] {
        var files = good
        for (path, text) in changes { files[path] = text }
        return files
    }

    @Test func errorsAndWarningsAsTheSpecLists() async throws {
        let fx = try await TaskManagerFixture()
        let cases: [(String, [String: String], errors: [String], warnings: [String])] = [
            ("good", Self.good, [], []),
            ("no-toml", Self.with(["task.toml": nil]), ["task.toml is missing"], []),
            ("bad-toml", Self.with(["task.toml": "[task\nname = 1"]), ["task.toml is not valid TOML"], []),
            ("wrong-type", Self.with(["task.toml": "[verifier]\ntimeout_sec = \"soon\"\n[environment]\nmemory_mb = 1.5\n"]),
             ["task.toml: verifier.timeout_sec must be a number, found a string", "task.toml: environment.memory_mb must be an integer, found a float"], []),
            ("bad-name", Self.with(["task.toml": "[task]\nname = \"noslash\"\n"]), ["task.name must be in 'org/name' form"], []),
            ("no-name", Self.with(["task.toml": "[task]\ndescription = \"x\"\n"]), ["task.toml: task.name is required"], []),
            ("bad-network", Self.with(["task.toml": "[environment]\nnetwork_mode = \"open\"\n"]), ["environment.network_mode must be one of"], []),
            ("no-instruction", Self.with(["instruction.md": nil]), ["instruction.md is missing"], []),
            ("no-test-sh", Self.with(["tests/test.sh": nil, "tests/test.py": "def test_x(): pass\n"]), ["tests/test.sh is missing"], []),
            ("no-environment", Self.with(["environment/Dockerfile": nil]), ["environment/ is missing"], []),
            ("empty-environment", Self.with(["environment/Dockerfile": nil, "environment/README": "x"]),
             ["environment/ must contain a Dockerfile or docker-compose.yaml"], []),
            ("docker-image", Self.with(["environment/Dockerfile": nil, "task.toml": "[environment]\ndocker_image = \"python:3.12\"\n"]), [], []),
            ("empty-instruction", Self.with(["instruction.md": " \n"]), [], ["instruction.md is empty"]),
            ("unknown-key", Self.with(["task.toml": "[task]\nname = \"a/b\"\n[_seekingdata]\nstatus = \"draft\"\n[verifier]\nwho = 1\n"]), [],
             ["task.toml: unknown key '_seekingdata'", "task.toml: unknown key 'verifier.who'"]),
            ("deprecated", Self.with(["task.toml": "version = \"1.0\"\n[environment]\nallow_internet = true\nmemory = \"4G\"\n"]), [],
             ["'version' is deprecated", "'environment.allow_internet' is deprecated", "'environment.memory' is deprecated"]),
            ("no-reward", Self.with(["tests/test.sh": "#!/bin/bash\npytest /tests\n"]), [], ["tests/test.sh never writes"]),
            ("no-solution", Self.with(["solution/solve.sh": nil]), [], ["no solution/solve.sh"]),
            ("lax-types", Self.with(["task.toml": "[verifier]\ntimeout_sec = \"600\"\n[environment]\nmemory_mb = 2048.0\ncpus = true\n[agent]\nuser = 1000\n"]), [], []),
        ]
        for (name, files, errors, warnings) in cases {
            try write(files, as: name, in: fx)
            let result = try await validate(fx, name)
            #expect(result.valid == errors.isEmpty, "\(name): \(result)")
            #expect(result.errors.count == errors.count, "\(name): \(result.errors)")
            for expected in errors { #expect(result.errors.contains { $0.contains(expected) }, "\(name): \(expected) in \(result.errors)") }
            #expect(result.warnings.count == warnings.count, "\(name): \(result.warnings)")
            for expected in warnings { #expect(result.warnings.contains { $0.contains(expected) }, "\(name): \(expected) in \(result.warnings)") }
        }
        await fx.close()
    }

    @Test func symbolicLinksInsideATaskAreNotFollowed() async throws {
        let fx = try await TaskManagerFixture()
        try write(Self.with(["instruction.md": nil]), as: "linked", in: fx)
        try FileManager.default.createSymbolicLink(atPath: fx.tasksRoot.appendingPathComponent("linked/instruction.md").path,
                                                   withDestinationPath: "/etc/hostname")
        let result = try await validate(fx, "linked")
        #expect(!result.valid)
        #expect(result.errors == ["instruction.md is a symbolic link (not followed)"])
        await fx.close()
    }
}
