import Contracts
import Foundation
import HTTPCore
import Testing
@testable import TaskManager
import TestSupport

/// `POST /api/github/generate-task` against a local GitHub REST API (`FakeGitHub`).
@Suite("GitHub → task")
struct GitHubTaskTests {
    typealias API = TaskManagerAPI
    static let base = String(repeating: "b", count: 40)
    static let head = String(repeating: "d", count: 40)

    /// A fake with repository `octo/widgets`: issue 12, and PR 34 ("Fixes #12") changing 65
    /// files (three pages), three of them tests (one removed).
    static func fake() throws -> FakeGitHub {
        let github = try FakeGitHub()
        github.addRepository("octo/widgets", head: String(repeating: "c", count: 40))
        github.addIssue("octo/widgets", number: 12, title: "Widgets crash on empty input", body: "Calling `render([])` raises IndexError.")
        var files: [(path: String, status: String)] = (0..<62).map { ("src/widgets/module_\($0).py", "modified") }
        files.insert(("tests/test_render.py", "modified"), at: 5)
        files.insert(("tests/conftest.py", "added"), at: 40)
        files.insert(("tests/test_old.py", "removed"), at: 64)
        github.addPullRequest("octo/widgets", .init(number: 34, title: "Handle empty input", body: "Fixes #12.\n\nThe fix: check the length first.",
                                                    baseSHA: base, headSHA: head, files: files))
        github.addContent("octo/widgets", path: "tests/test_render.py", ref: head, text: "from widgets import render\n\ndef test_empty():\n    assert render([]) == ''\n")
        github.addContent("octo/widgets", path: "tests/conftest.py", ref: head, text: "import pytest\n")
        return github
    }

    func generate(_ fx: TaskManagerFixture, _ request: API.GenerateTaskRequest) async -> TestResponse {
        await fx.call(.POST, "/api/github/generate-task", body: request)
    }

    @Test func pullRequestTaskReadsEveryPageAndTheTestFiles() async throws {
        let github = try Self.fake()
        let fx = try await TaskManagerFixture(["GITHUB_API_URL": github.url, "GITHUB_TOKEN": "ghp_secret"])
        let response = await generate(fx, API.GenerateTaskRequest(repoUrl: "https://github.com/octo/widgets", prNumber: 34))
        #expect(response.status == 200, "\(response.text)")
        let task = try response.json(API.GenerateTaskResponse.self).task
        #expect(task.name == "octo/widgets issue #12: Widgets crash on empty input")
        #expect(task.description == "Repository: octo/widgets\nIssue #12: Widgets crash on empty input\nPR #34: Handle empty input")
        // The problem from the issue the PR closes, never the fix.
        let instruction = try #require(task.files["instruction.md"])
        #expect(instruction.contains("Calling `render([])` raises IndexError."))
        #expect(!instruction.contains("check the length first"))
        #expect(instruction.contains(Self.base))
        // The environment at the base commit; the PR's test files at its head, run by test.py.
        let dockerfile = try #require(task.files["environment/Dockerfile"])
        #expect(dockerfile.contains("git fetch -q --depth 1 origin \(Self.base)"))
        #expect(dockerfile.contains("git remote add origin https://github.com/octo/widgets.git"))
        #expect(task.files["tests/repo/tests/test_render.py"]?.contains("def test_empty") == true)
        #expect(task.files["tests/repo/tests/conftest.py"] == "import pytest\n")
        #expect(task.files["tests/repo/tests/test_old.py"] == nil)
        #expect(task.files["tests/test.py"]?.contains(#"TEST_FILES = ["tests/test_render.py"]"#) == true)
        #expect(task.files["tests/test.sh"]?.contains("cp -r /tests/repo/. /app/") == true)
        #expect(task.files["task.toml"]?.contains("base_commit = \"\(Self.base)\"") == true)
        // Stored as a draft with the same files.
        let stored = try await fx.call(.GET, "/api/tasks/\(task.id)").json(API.TaskDetail.self)
        #expect(stored.status == .draft)
        #expect(stored.files == task.files)
        // Every page of files was read (30 a page), with a User-Agent and the token.
        let targets = github.requests.map(\.target)
        for page in 1...3 { #expect(targets.contains("/repos/octo/widgets/pulls/34/files?per_page=30&page=\(page)"), "\(targets)") }
        #expect(!targets.contains { $0.contains("page=4") })
        #expect(targets.contains("/repos/octo/widgets/issues/12"))
        for request in github.requests {
            #expect(request.headers["User-Agent"] == "seekingdata-task-manager")
            #expect(request.headers["Authorization"] == "Bearer ghp_secret")
            #expect(request.headers["Accept"] == "application/vnd.github+json")
        }
        await fx.close()
        await github.stop()
    }

    @Test func issueTaskPinsTheDefaultBranchHead() async throws {
        let github = try Self.fake()
        let fx = try await TaskManagerFixture(["GITHUB_API_URL": github.url])
        let response = await generate(fx, API.GenerateTaskRequest(repoUrl: "https://github.com/octo/widgets.git", issueNumber: 12))
        #expect(response.status == 200, "\(response.text)")
        let task = try response.json(API.GenerateTaskResponse.self).task
        #expect(task.files["environment/Dockerfile"]?.contains("origin \(String(repeating: "c", count: 40))") == true)
        #expect(task.files["tests/test.py"]?.contains("TEST_FILES = []") == true)
        #expect(task.files.keys.allSatisfy { !$0.hasPrefix("tests/repo/") })
        #expect(github.requests.allSatisfy { $0.headers["Authorization"] == nil })
        await fx.close()
        await github.stop()
    }

    @Test func repositoryURLForms() async throws {
        let github = try Self.fake()
        let fx = try await TaskManagerFixture(["GITHUB_API_URL": github.url])
        for url in ["https://github.com/octo/widgets", "https://github.com/octo/widgets.git", "https://github.com/octo/widgets/",
                    "https://github.com/octo/widgets.git/", "http://www.github.com/octo/widgets", " https://GitHub.com/octo/widgets "] {
            let response = await generate(fx, API.GenerateTaskRequest(repoUrl: url, issueNumber: 12))
            #expect(response.status == 200, "\(url): \(response.text)")
        }
        for url in ["https://gitlab.com/octo/widgets", "https://github.com/octo", "https://github.com/octo/widgets/tree/main",
                    "github.com/octo/widgets", "https://github.com//widgets", "https://github.com/octo/..", "ftp://github.com/octo/widgets",
                    "https://github.com/octo/wid gets", "", "https://github.com/octo/widgets?tab=1"] {
            let response = await generate(fx, API.GenerateTaskRequest(repoUrl: url, issueNumber: 12))
            #expect(response.status == 400, "\(url): \(response.text)")
            #expect(response.detail.contains("repoUrl"), "\(url)")
        }
        await fx.close()
        await github.stop()
    }

    @Test func clientMistakesAndGitHubErrors() async throws {
        let github = try Self.fake()
        let fx = try await TaskManagerFixture(["GITHUB_API_URL": github.url])
        let repo = "https://github.com/octo/widgets"
        let cases: [(API.GenerateTaskRequest, Int, String)] = [
            (API.GenerateTaskRequest(repoUrl: repo), 400, "issueNumber or prNumber"),
            (API.GenerateTaskRequest(repoUrl: repo, issueNumber: 0), 400, "positive"),
            (API.GenerateTaskRequest(repoUrl: repo, issueNumber: 34), 400, "is a pull request"),
            (API.GenerateTaskRequest(repoUrl: "https://github.com/octo/gadgets", issueNumber: 1), 404, "repository octo/gadgets not found"),
            (API.GenerateTaskRequest(repoUrl: repo, issueNumber: 99), 404, "issue #99"),
            (API.GenerateTaskRequest(repoUrl: repo, prNumber: 98), 404, "pull request #98"),
            (API.GenerateTaskRequest(repoUrl: repo, issueNumber: 12, jobId: "bad id!"), 400, "jobId"),
        ]
        for (request, status, detail) in cases {
            let response = await generate(fx, request)
            #expect(response.status == status, "\(request): \(response.text)")
            #expect(response.detail.contains(detail), "\(request): \(response.detail)")
        }
        #expect(await fx.call(.POST, "/api/github/generate-task", json: #"{"issueNumber":1}"#).status == 422)
        #expect(await fx.call(.POST, "/api/github/generate-task", json: #"{"repoUrl":"x","issueNumber":"one"}"#).status == 422)
        // Rate limits, both forms GitHub uses.
        let reset = Int(Date().timeIntervalSince1970) + 600
        for status in [403, 429] {
            github.setRateLimit(.exhausted(status: status, reset: reset))
            let sent = Int(Date().timeIntervalSince1970)
            let response = await generate(fx, API.GenerateTaskRequest(repoUrl: repo, issueNumber: 12))
            let answered = Int(Date().timeIntervalSince1970) + 1
            #expect(response.status == 429, "\(response.text)")
            #expect(response.detail.contains("rate limit") && response.detail.contains("resets at"), "\(response.detail)")
            let retryAfter = Int(response.headers["Retry-After"] ?? "") ?? -1
            // The seconds until the reset, as of some moment while the request ran.
            #expect(((reset - answered)...(reset - sent + 1)).contains(retryAfter), "\(retryAfter)")
        }
        github.setRateLimit(.none)
        // Nothing stored by any of these.
        #expect(try await fx.call(.GET, "/api/tasks").json(API.TaskList.self).total == 0)
        await fx.close()
        await github.stop()
    }

    @Test func unreachableGitHubIs502() async throws {
        let refusing = TestSupport.RefusingPort()
        let fx = try await TaskManagerFixture(["GITHUB_API_URL": "http://127.0.0.1:\(refusing.port)"])
        let response = await generate(fx, API.GenerateTaskRequest(repoUrl: "https://github.com/octo/widgets", issueNumber: 1))
        #expect(response.status == 502)
        #expect(response.detail.contains("GitHub API is unreachable"))
        await fx.close()
    }

    @Test func linkHeaderParsing() {
        let header = GitHubLinkHeader(#"<https://api.github.com/repositories/1/pulls/2/files?per_page=30&page=2>; rel="next", <https://api.github.com/repositories/1/pulls/2/files?per_page=30&page=7>; rel="last""#)
        #expect(header.links["next"] == "https://api.github.com/repositories/1/pulls/2/files?per_page=30&page=2")
        #expect(header.lastPage == 7)
        #expect(GitHubLinkHeader(nil).links.isEmpty)
        #expect(GitHubLinkHeader("garbage, <x>; rel=prev").links == ["prev": "x"])
        #expect(GitHubTaskGenerator.closedIssueNumber(in: "This PR fixes #42 and more") == 42)
        #expect(GitHubTaskGenerator.closedIssueNumber(in: "Closes: #7") == 7)
        #expect(GitHubTaskGenerator.closedIssueNumber(in: "See #42") == nil)
    }
}
