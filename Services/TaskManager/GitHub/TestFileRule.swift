/// Which of a pull request's changed files are tests to run: Python files (not removed)
/// named `test_*.py`, `*_test.py`, `*_tests.py` or `conftest.py`, or inside a `test`,
/// `tests` or `testing` folder.
enum TestFileRule {
    /// Whether `file` is a test file to run.
    static func isTest(_ file: GitHubWire.PullRequestFile) -> Bool {
        guard file.status != "removed", file.filename.hasSuffix(".py") else { return false }
        let components = file.filename.split(separator: "/")
        guard let name = components.last else { return false }
        if name.hasPrefix("test_") || name.hasSuffix("_test.py") || name.hasSuffix("_tests.py") || name == "conftest.py" { return true }
        return components.dropLast().contains { ["test", "tests", "testing"].contains($0.lowercased()) }
    }

    /// Whether pytest collects `path` by name (conftest and helpers in test folders are support files).
    static func isCollected(_ path: String) -> Bool {
        guard let name = path.split(separator: "/").last else { return false }
        return name.hasPrefix("test_") || name.hasSuffix("_test.py") || name.hasSuffix("_tests.py")
    }
}
