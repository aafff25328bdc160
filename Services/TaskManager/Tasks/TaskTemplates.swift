import Foundation
import TOML

/// The default contents of a task's Harbor files (Harbor 0.25's layout): used for whatever
/// a created task does not bring, and by the GitHub generator.
enum TaskTemplates {
    /// The organisation part of `[task].name` (Harbor requires `org/name`).
    static let organisation = "seekingdata"
    /// The pinned pytest the default images install (Harbor's lint flags unpinned ones).
    static let pytestRequirement = "pytest==8.3.4"
    /// Where a verifier writes its reward (Harbor reads `reward.json`, else `reward.txt`).
    static let rewardFile = "/logs/verifier/reward.txt"

    /// What a `[metadata]` section carries beyond `source`.
    struct Metadata {
        /// Extra string keys (e.g. `repo`, `base_commit`).
        var strings: [(key: String, value: String)] = []
        /// Tags.
        var tags: [String] = []
    }

    /// `task.toml`: schema 1.4, `[task]` (name `seekingdata/<id>`, description, keywords),
    /// `[metadata]`, verifier and agent timeouts, the environment's resources, network
    /// public; written by `TOMLWriter`.
    static func taskConfig(id: String, description: String, keywords: [String] = [], metadata: Metadata = Metadata()) -> String {
        var metadataEntries: [(key: String, value: TOMLValue)] = [("source", .string("seekingdata"))]
        for (key, value) in metadata.strings { metadataEntries.append((key, .string(value))) }
        if !metadata.tags.isEmpty { metadataEntries.append(("tags", .array(metadata.tags.map(TOMLValue.string)))) }
        let document = TOMLTable([
            ("schema_version", .string("1.4")),
            ("task", .table(TOMLTable([("name", .string(organisation + "/" + id)), ("description", .string(description)),
                                       ("keywords", .array(keywords.map(TOMLValue.string)))]))),
            ("metadata", .table(TOMLTable(metadataEntries))),
            ("verifier", .table(TOMLTable([("timeout_sec", .float(600))]))),
            ("agent", .table(TOMLTable([("timeout_sec", .float(600))]))),
            ("environment", .table(TOMLTable([("build_timeout_sec", .float(600)), ("cpus", .integer(1)), ("memory_mb", .integer(2048)),
                                              ("storage_mb", .integer(10240)), ("network_mode", .string("public"))]))),
        ])
        return TOMLWriter.write(document)
    }

    /// `instruction.md` from a name and description.
    static func instruction(name: String, description: String) -> String {
        let body = description.trimmingCharacters(in: .whitespacesAndNewlines)
        return "# \(name)\n\n" + (body.isEmpty ? "Complete the task described by its name." : body) + "\n"
    }

    /// `environment/Dockerfile`: Python 3.12 with pytest, working directory `/app`.
    static let dockerfile = """
        FROM python:3.12-slim
        WORKDIR /app
        RUN pip install --no-cache-dir \(pytestRequirement)

        """

    /// `tests/test.py` when none is given: fails, saying what to write.
    static let testPy = """
        import pytest


        def test_task_has_checks():
            pytest.fail("tests/test.py is a placeholder: write the checks of this task")

        """

    /// `tests/test.sh`: Harbor's verifier entry point. Runs pytest on `/tests/test.py` and
    /// writes 1 (passed) or 0 (failed) to `/logs/verifier/reward.txt`; `setup` lines run
    /// first (the GitHub generator copies the pull request's test files into place).
    static func testScript(setup: [String] = []) -> String {
        var text = """
            #!/bin/bash
            # Harbor verifier: runs /tests/test.py with pytest and writes the reward (1 passed, 0 failed).
            mkdir -p /logs/verifier

            """
        for line in setup { text += line + "\n" }
        text += """
            if python -m pytest -rA /tests/test.py; then
                echo 1 > \(rewardFile)
            else
                echo 0 > \(rewardFile)
            fi

            """
        return text
    }
}
