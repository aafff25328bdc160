import Foundation
import JSON
import TOML

/// The toml-test cases (toml-lang/toml-test) that apply to TOML 1.0.0, as data: found in
/// `TOML_TEST_DIR` (deploy/test sets it) or in `shared/toml-test` beside the repository
/// (or beside the folder holding a git worktree of it).
struct TOMLTestSuite {
    /// One case: its path under `tests/` (e.g. `valid/array/nested.toml`) and its bytes.
    struct Case {
        /// The path under `tests/`, which names the case in failures.
        let name: String
        /// The TOML document.
        let bytes: [UInt8]
        /// The expected document (tagged JSON), for a valid case.
        let expected: JSONValue?
    }

    /// The folder holding `tests/`.
    let root: URL
    /// The valid cases of `tests/files-toml-1.0.0`.
    let valid: [Case]
    /// The invalid cases of `tests/files-toml-1.0.0`.
    let invalid: [Case]

    /// Why the suite could not be loaded.
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    /// Loads the suite, or fails saying where it looked.
    static func load() throws -> TOMLTestSuite {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var candidates: [URL] = []
        if let configured = ProcessInfo.processInfo.environment["TOML_TEST_DIR"], !configured.isEmpty {
            candidates.append(URL(fileURLWithPath: configured))
        }
        candidates.append(repository.deletingLastPathComponent().appendingPathComponent("shared/toml-test"))
        candidates.append(repository.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/toml-test"))
        guard let root = candidates.first(where: { FileManager.default.fileExists(atPath: $0.appendingPathComponent("tests/files-toml-1.0.0").path) }) else {
            throw Missing(description: "toml-test not found; looked in \(candidates.map(\.path)). Set TOML_TEST_DIR (deploy/test does).")
        }
        let tests = root.appendingPathComponent("tests")
        let list = try String(contentsOf: tests.appendingPathComponent("files-toml-1.0.0"), encoding: .utf8)
        var valid: [Case] = []
        var invalid: [Case] = []
        for name in list.split(whereSeparator: \.isNewline).map(String.init) where name.hasSuffix(".toml") {
            let bytes = try [UInt8](Data(contentsOf: tests.appendingPathComponent(name)))
            if name.hasPrefix("valid/") {
                let jsonName = String(name.dropLast(5)) + ".json"
                let json = try [UInt8](Data(contentsOf: tests.appendingPathComponent(jsonName)))
                valid.append(Case(name: name, bytes: bytes, expected: try JSONParser().parse(json)))
            } else if name.hasPrefix("invalid/") {
                invalid.append(Case(name: name, bytes: bytes, expected: nil))
            }
        }
        return TOMLTestSuite(root: root, valid: valid, invalid: invalid)
    }
}
