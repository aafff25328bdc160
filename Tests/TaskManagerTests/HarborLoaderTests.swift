import Contracts
import Foundation
import HTTPCore
import JSON
import Testing
@testable import TaskManager
import TestSupport

/// Harbor 0.25's own loader and linter (`deploy/checks/harbor_check.py`, run by the
/// interpreter in TEST_HARBOR_PYTHON, which `deploy/test` makes from a pyenv Python ≥ 3.12)
/// on exported and generated tasks, and on the validator's fixtures: our `valid` is Harbor's.
@Suite("Harbor's loader")
struct HarborLoaderTests {
    static var python: String? { ProcessInfo.processInfo.environment["TEST_HARBOR_PYTHON"] }

    /// What `harbor_check.py` says of one path.
    struct Verdict: Decodable {
        struct Finding: Decodable { var rule: String; var message: String }
        var path: String
        var loaded: Bool
        var error: String?
        var valid_dir: Bool
        var findings: [Finding]
    }

    /// Runs Harbor on `paths`; fails loudly when TEST_HARBOR_PYTHON is not set up.
    static func harbor(_ paths: [String]) async throws -> [Verdict] {
        let python = try #require(Self.python, "TEST_HARBOR_PYTHON is not set: run deploy/test (deploy/lib.sh ensure_harbor_venv)")
        #expect(FileManager.default.isExecutableFile(atPath: python), "TEST_HARBOR_PYTHON=\(python) is not an interpreter")
        let result = try await TestSupport.run(URL(fileURLWithPath: python), arguments: ["deploy/checks/harbor_check.py"] + paths,
                                               includingStandardError: true)
        #expect(result.status == 0, "\(result.output)")
        return try result.output.split(separator: "\n").filter { $0.hasPrefix("{") }
            .map { try JSONDecoder().decode(Verdict.self, from: Data($0.utf8)) }
    }

    /// Lint rules that say a task is broken (the rest are advice on images and users).
    static let blocking: Set<String> = ["invalid-task-config", "invalid-task-files", "unknown-config-field"]

    @Test func exportedAndGeneratedTasksLoadInHarbor() async throws {
        let github = try GitHubTaskTests.fake()
        let fx = try await TaskManagerFixture(["GITHUB_API_URL": github.url])
        let plain = try await fx.create("Plain task", description: "Say hello")
        let full = try await fx.create("Full task", description: "All files", files: ["solution/solve.sh": "echo hi\n",
                                                                                       "tests/test.py": "def test_ok():\n    assert True\n"])
        let fromPR = try await fx.call(.POST, "/api/github/generate-task",
                                       body: TaskManagerAPI.GenerateTaskRequest(repoUrl: "https://github.com/octo/widgets", prNumber: 34))
            .json(TaskManagerAPI.GenerateTaskResponse.self).task
        let fromIssue = try await fx.call(.POST, "/api/github/generate-task",
                                          body: TaskManagerAPI.GenerateTaskRequest(repoUrl: "https://github.com/octo/widgets", issueNumber: 12))
            .json(TaskManagerAPI.GenerateTaskResponse.self).task
        var archives: [URL] = []
        for id in [plain.id, full.id, fromPR.id, fromIssue.id] { archives.append(try await ExportTests.export(fx, id).0) }
        let directories = [fromPR.id, fromIssue.id].map { fx.tasksRoot.appendingPathComponent($0).path }
        let verdicts = try await Self.harbor(archives.map(\.path) + directories)
        #expect(verdicts.count == 6)
        for verdict in verdicts {
            #expect(verdict.loaded, "\(verdict.path): \(verdict.error ?? "")")
            #expect(verdict.valid_dir, "\(verdict.path)")
            let broken = verdict.findings.filter { Self.blocking.contains($0.rule) }
            #expect(broken.isEmpty, "\(verdict.path): \(broken.map(\.message))")
            #expect(!verdict.findings.contains { $0.rule == "unpinned-python-dependency" || $0.rule == "lint-crashed" }, "\(verdict.path)")
        }
        for archive in archives { try? FileManager.default.removeItem(at: archive) }
        await fx.close()
        await github.stop()
    }

    @Test func ourVerdictIsHarbors() async throws {
        let fx = try await TaskManagerFixture()
        var names: [String] = []
        let cases: [(String, [String: String?])] = [
            ("good", [:]), ("no-toml", ["task.toml": nil]), ("bad-toml", ["task.toml": "[task\nname = 1"]),
            ("wrong-type", ["task.toml": "[verifier]\ntimeout_sec = \"soon\"\n"]), ("int-frac", ["task.toml": "[environment]\nmemory_mb = 1.5\n"]),
            ("bad-name", ["task.toml": "[task]\nname = \"noslash\"\n"]), ("no-name", ["task.toml": "[task]\ndescription = \"x\"\n"]),
            ("bad-network", ["task.toml": "[environment]\nnetwork_mode = \"open\"\n"]), ("no-instruction", ["instruction.md": nil]),
            ("no-test-sh", ["tests/test.sh": nil]), ("no-environment", ["environment/Dockerfile": nil]),
            ("docker-image", ["environment/Dockerfile": nil, "task.toml": "[environment]\ndocker_image = \"python:3.12\"\n"]),
            ("lax-types", ["task.toml": "[verifier]\ntimeout_sec = \"600\"\n[environment]\nmemory_mb = 2048.0\ncpus = true\n[agent]\nuser = 1000\n"]),
            ("env-int", ["task.toml": "[verifier]\nenv = { A = 1 }\n"]), ("keywords-str", ["task.toml": "[task]\nname = \"a/b\"\nkeywords = \"x\"\n"]),
            ("date", ["task.toml": "[verifier]\ntimeout_sec = 1979-05-27\n"]), ("user-frac", ["task.toml": "[agent]\nuser = 1000.5\n"]),
            ("metadata-str", ["task.toml": "metadata = \"x\"\n"]), ("deprecated", ["task.toml": "version = \"1.0\"\n[environment]\nallow_internet = true\n"]),
        ]
        for (name, changes) in cases {
            var files = ValidationTests.good
            for (path, text) in changes { files[path] = text }
            try ValidationTests().write(files, as: name, in: fx)
            names.append(name)
        }
        let verdicts = try await Self.harbor(names.map { fx.tasksRoot.appendingPathComponent($0).path })
        #expect(verdicts.count == names.count)
        for (name, verdict) in zip(names, verdicts) {
            let ours = try await fx.call(.POST, "/api/tasks/validate", body: TaskManagerAPI.ValidateTaskRequest(taskPath: name))
                .json(TaskManagerAPI.ValidationResult.self)
            #expect(ours.valid == (verdict.loaded && verdict.valid_dir), "\(name): ours \(ours.errors), Harbor \(verdict.error ?? "valid_dir=\(verdict.valid_dir)")")
        }
        await fx.close()
    }
}
