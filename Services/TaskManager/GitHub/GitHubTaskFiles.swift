import Contracts
import Foundation
import JSON

/// The files of a task made from a GitHub issue or pull request (Harbor 0.25's layout):
///
/// - `instruction.md` states the problem from the issue (or, without one, the pull request's
///   title and text) and where the code is; never the pull request's diff;
/// - `environment/Dockerfile` clones the repository at the base commit into `/app` and
///   installs it with pytest;
/// - `tests/repo/<path>` are the pull request's changed test files as they are at its head,
///   copied over `/app` by `tests/test.sh` before `/tests/test.py` runs them (without any,
///   the repository's whole test suite runs);
/// - `task.toml` records the repository, commit, issue and pull request in `[metadata]`.
enum GitHubTaskFiles {
    /// Where the pull request's test files go inside `tests/`.
    static let testsFolder = "tests/repo"

    /// The task's display name.
    static func name(_ source: GitHubTaskSource) -> String {
        if let issue = source.issue { return "\(source.ref.fullName) issue #\(issue.number): \(issue.title)" }
        if let pull = source.pullRequest { return "\(source.ref.fullName) PR #\(pull.number): \(pull.title)" }
        return source.ref.fullName
    }

    /// The task's description.
    static func description(_ source: GitHubTaskSource) -> String {
        var lines = ["Repository: \(source.ref.fullName)"]
        if let issue = source.issue { lines.append("Issue #\(issue.number): \(issue.title)") }
        if let pull = source.pullRequest { lines.append("PR #\(pull.number): \(pull.title)") }
        return lines.joined(separator: "\n")
    }

    /// Every file of the task `id`.
    static func files(_ source: GitHubTaskSource, id: String) -> [String: String] {
        typealias Key = TaskManagerAPI.FileKey
        var metadata = TaskTemplates.Metadata(strings: [("repo", source.ref.fullName), ("repo_url", source.ref.webURL),
                                                        ("base_commit", source.baseCommit)],
                                              tags: ["github", "auto-generated"])
        if let issue = source.issue { metadata.strings.append(("issue", String(issue.number))) }
        if let pull = source.pullRequest { metadata.strings.append(("pull_request", String(pull.number))) }
        var files: [String: String] = [
            Key.taskConfig: TaskTemplates.taskConfig(id: id, description: description(source),
                                                     keywords: ["github", source.repository.language?.lowercased()].compactMap { $0 },
                                                     metadata: metadata),
            Key.instruction: instruction(source),
            Key.dockerfile: dockerfile(source),
            Key.testPy: testPy(source),
            Key.testScript: TaskTemplates.testScript(setup: source.testFiles.isEmpty ? [] : [
                "# The pull request's test files, as at its head, over the checked-out repository.",
                "cp -r /\(testsFolder)/. /app/",
            ]),
        ]
        for file in source.testFiles { files[testsFolder + "/" + file.path] = file.text }
        return files
    }

    /// `instruction.md`.
    static func instruction(_ source: GitHubTaskSource) -> String {
        let title: String, body: String?
        if let issue = source.issue {
            (title, body) = (issue.title, issue.body)
        } else if let pull = source.pullRequest {
            (title, body) = (pull.title, pull.body)
        } else {
            (title, body) = (source.ref.fullName, source.repository.description)
        }
        let text = body?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return """
            # \(title)

            The repository [\(source.ref.fullName)](\(source.ref.webURL)) is checked out in `/app` at commit `\(source.baseCommit)`.

            ## Problem

            \(text.isEmpty ? "(no description was given beyond the title)" : text)

            ## What to do

            Change the code in `/app` so that the problem above is solved. Keep the existing behaviour otherwise; \
            the repository's tests (and new ones for this problem) check the result.

            """
    }

    /// `environment/Dockerfile`: the repository at the base commit in `/app`, installed.
    static func dockerfile(_ source: GitHubTaskSource) -> String {
        """
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
        WORKDIR /app
        RUN git init -q . \\
            && git remote add origin \(source.ref.cloneURL) \\
            && git fetch -q --depth 1 origin \(source.baseCommit) \\
            && git checkout -q FETCH_HEAD
        RUN pip install --no-cache-dir \(TaskTemplates.pytestRequirement) \\
            && if [ -f requirements.txt ]; then pip install --no-cache-dir -r requirements.txt || true; fi \\
            && if [ -f pyproject.toml ] || [ -f setup.py ]; then pip install --no-cache-dir -e . || true; fi

        """
    }

    /// `tests/test.py`: runs the pull request's test files (or the whole suite) in `/app`.
    static func testPy(_ source: GitHubTaskSource) -> String {
        let collected = source.testFiles.map(\.path).filter(TestFileRule.isCollected)
        let list = String(decoding: (try? JSONWriter.encode(collected)) ?? Array("[]".utf8), as: UTF8.self)
        return """
            \"\"\"Runs the repository's tests for this problem against the code in /app.\"\"\"
            import subprocess
            import sys

            # The pull request's test files (empty: the repository's whole test suite).
            TEST_FILES = \(list)


            def test_repository_tests_pass():
                command = [sys.executable, "-m", "pytest", "-rA", *TEST_FILES]
                result = subprocess.run(command, cwd="/app")
                assert result.returncode == 0, "the repository's tests failed"

            """
    }
}
