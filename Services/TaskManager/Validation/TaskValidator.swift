import Contracts
import Foundation
import TOML

/// Validates a task directory as Harbor 0.25 would load it. Errors: what Harbor refuses
/// (`task.toml` missing, not TOML, or with a value of the wrong type; `instruction.md`
/// missing; `tests/test.sh` missing; no environment: neither `environment/` with a
/// Dockerfile or compose file nor `[environment].docker_image`). Warnings: what its lint
/// flags (an empty instruction, unknown or deprecated task.toml keys), a test script that
/// never writes a reward, no solution. Files are read only when they are regular files
/// inside the directory (a symbolic link is reported, not followed).
enum TaskValidator {
    /// Largest file read (task.toml, instruction.md, test.sh); larger is an error.
    static let maxReadBytes = 4 * 1024 * 1024

    /// The result for the task directory `directory`.
    static func validate(directory: URL) -> TaskManagerAPI.ValidationResult {
        var errors: [String] = [], warnings: [String] = []
        var dockerImage: String?

        switch read("task.toml", in: directory) {
        case .missing: errors.append("task.toml is missing")
        case .unreadable(let reason): errors.append("task.toml \(reason)")
        case .text(let text):
            do {
                let table = try TOMLParser.parse(text)
                var checker = TaskConfigChecker()
                checker.check(table)
                errors += checker.errors
                warnings += checker.warnings
                if case .table(let environment)? = table["environment"], case .string(let image)? = environment["docker_image"] {
                    dockerImage = image
                }
            } catch {
                errors.append("task.toml is not valid TOML: line \(error.line), column \(error.column): \(error.message)")
            }
        }

        switch read("instruction.md", in: directory) {
        case .missing: errors.append("instruction.md is missing")
        case .unreadable(let reason): errors.append("instruction.md \(reason)")
        case .text(let text):
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { warnings.append("instruction.md is empty") }
        }

        let environment = directory.appendingPathComponent("environment", isDirectory: true)
        if dockerImage == nil {
            if kind(of: environment) != .directory {
                errors.append("environment/ is missing (and [environment].docker_image is not set)")
            } else if !["Dockerfile", "docker-compose.yaml", "docker-compose.yml"].contains(where: {
                kind(of: environment.appendingPathComponent($0)) == .regularFile
            }) {
                errors.append("environment/ must contain a Dockerfile or docker-compose.yaml")
            }
        }

        switch read("tests/test.sh", in: directory) {
        case .missing: errors.append("tests/test.sh is missing (Harbor runs only tests/test.sh)")
        case .unreadable(let reason): errors.append("tests/test.sh \(reason)")
        case .text(let text):
            if !text.contains("/logs/verifier/reward.txt") && !text.contains("/logs/verifier/reward.json") {
                warnings.append("tests/test.sh never writes /logs/verifier/reward.txt or /logs/verifier/reward.json")
            }
        }

        if kind(of: directory.appendingPathComponent("solution/solve.sh")) != .regularFile {
            warnings.append("no solution/solve.sh (Harbor's oracle agent cannot check the task)")
        }
        return TaskManagerAPI.ValidationResult(valid: errors.isEmpty, errors: errors, warnings: warnings)
    }

    /// A file's text, or why there is none.
    enum FileRead {
        /// Not there.
        case missing
        /// There but not readable as a task file (the reason completes "<name> …").
        case unreadable(String)
        /// Its text.
        case text(String)
    }

    /// What a directory entry is, without following a symbolic link.
    enum EntryKind {
        case missing, regularFile, directory, symbolicLink, other
    }

    /// The kind of `url` (lstat).
    static func kind(of url: URL) -> EntryKind {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
              let type = attributes[.type] as? FileAttributeType else { return .missing }
        switch type {
        case .typeRegular: return .regularFile
        case .typeDirectory: return .directory
        case .typeSymbolicLink: return .symbolicLink
        default: return .other
        }
    }

    /// Reads `path` under `directory` if it is a regular file (no component a symbolic link).
    static func read(_ path: String, in directory: URL) -> FileRead {
        var url = directory
        let components = path.split(separator: "/")
        for (index, component) in components.enumerated() {
            url = url.appendingPathComponent(String(component))
            switch kind(of: url) {
            case .missing: return .missing
            case .symbolicLink: return .unreadable("is a symbolic link (not followed)")
            case .directory where index < components.count - 1: continue
            case .regularFile where index == components.count - 1: break
            default: return index == components.count - 1 ? .unreadable("is not a regular file") : .missing
            }
        }
        guard let handle = try? FileHandle(forReadingFrom: url) else { return .unreadable("cannot be read") }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: maxReadBytes + 1) else { return .text("") }
        if data.count > maxReadBytes { return .unreadable("is larger than \(maxReadBytes) bytes") }
        return .text(String(decoding: data, as: UTF8.self))
    }
}
