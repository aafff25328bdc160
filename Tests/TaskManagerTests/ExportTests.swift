import Contracts
import Foundation
import HTTPCore
import Testing
@testable import TaskManager
import TestSupport

/// `GET /api/tasks/{id}/export`: a ZIP streamed with the document's headers, files at its
/// root; checked by Python's `zipfile` (CRCs, names, contents) and `unzip -t`.
@Suite("tasks: export")
struct ExportTests {
    static var python: String { ProcessInfo.processInfo.environment["TEST_PYTHON"] ?? "deploy/.venv/bin/python" }

    /// Exports task `id` into a temporary file; returns it and the response.
    static func export(_ fx: TaskManagerFixture, _ id: String) async throws -> (URL, TestResponse) {
        let response = await fx.call(.GET, "/api/tasks/\(id)/export")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).zip")
        try Data(response.body).write(to: file)
        return (file, response)
    }

    @Test func exportIsAZipOfTheTaskAtTheRoot() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.python), "run deploy/test, which provisions \(Self.python)")
        let fx = try await TaskManagerFixture()
        let big = (0..<40_000).map { "line \($0) \($0 &* 2654435761 % 1000)\n" }.joined()
        let created = try await fx.create("Zip me", files: ["solution/solve.sh": "echo ok\n", "tests/data/größe.txt": "ümlaut ✓\n",
                                                            "tests/data/big.txt": big, "tests/empty.txt": ""])
        let (file, response) = try await Self.export(fx, created.id)
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/zip")
        #expect(response.headers["Content-Disposition"] == "attachment; filename=\"task-\(created.id).zip\"")
        let detail = try await fx.call(.GET, "/api/tasks/\(created.id)").json(TaskManagerAPI.TaskDetail.self)
        // Python's zipfile: every CRC good, the names exactly the task's files, the contents equal.
        let script = """
            import json, sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None, "bad CRC"
            print(json.dumps({i.filename: z.read(i).decode("utf-8") for i in z.infolist()}))
            """
        let result = try await TestSupport.run(URL(fileURLWithPath: Self.python), arguments: ["-c", script, file.path], includingStandardError: true)
        #expect(result.status == 0, "\(result.output)")
        let unpacked = try JSONDecoder().decode([String: String].self, from: Data(result.output.utf8))
        #expect(unpacked == detail.files)
        #expect(unpacked["tests/data/big.txt"] == big)
        // unzip -t as a second, independent reader.
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip"), "deploy/lib.sh installs unzip")
        let unzip = try await TestSupport.run(URL(fileURLWithPath: "/usr/bin/unzip"), arguments: ["-t", file.path], includingStandardError: true)
        #expect(unzip.status == 0, "\(unzip.output)")
        #expect(unzip.output.contains("No errors detected"))
        try? FileManager.default.removeItem(at: file)
        await fx.close()
    }
}
