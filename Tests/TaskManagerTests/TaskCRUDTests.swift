import Contracts
import Foundation
import HTTPCore
import Testing
@testable import TaskManager
import TestSupport

/// `/api/tasks` create, list, get, update, delete: shapes, Harbor's layout on disk, every
/// client mistake answered in `{"detail"}` with its status, and no stored task lost.
@Suite("tasks: CRUD")
struct TaskCRUDTests {
    typealias API = TaskManagerAPI

    @Test(arguments: TestBackend.allCases)
    func createFillsHarborsLayoutAndGetReturnsEveryFile(_ backend: TestBackend) async throws {
        let fx = try await TaskManagerFixture(backend: backend)
        let created = try await fx.create("Hello World", description: "Print hello", files: ["solution/solve.sh": "echo hello\n"])
        #expect(created.status == .draft)
        #expect(created.name == "Hello World")
        #expect(created.id.hasPrefix("hello-world-"))
        #expect(created.path == fx.tasksRoot.appendingPathComponent(created.id).path)
        #expect(created.createdAt.hasSuffix("Z") && created.createdAt.contains("T"))
        let detail = try await fx.call(.GET, "/api/tasks/\(created.id)").json(API.TaskDetail.self)
        #expect(Set(detail.files.keys) == ["task.toml", "instruction.md", "tests/test.py", "tests/test.sh", "environment/Dockerfile",
                                           "solution/solve.sh"])
        #expect(detail.files["task.toml"]?.contains("name = \"seekingdata/\(created.id)\"") == true)
        #expect(detail.files["instruction.md"] == "# Hello World\n\nPrint hello\n")
        #expect(detail.files["tests/test.sh"]?.contains("/logs/verifier/reward.txt") == true)
        #expect(detail.files["tests/test.sh"]?.contains("pytest -rA /tests/test.py") == true)
        // On disk, in the task's own directory.
        let onDisk = try String(contentsOf: fx.tasksRoot.appendingPathComponent("\(created.id)/solution/solve.sh"), encoding: .utf8)
        #expect(onDisk == "echo hello\n")
        await fx.close()
    }

    @Test func userFilesAreKeptAsGiven() async throws {
        let fx = try await TaskManagerFixture()
        let files = ["task.toml": "schema_version = \"1.4\"\n", "instruction.md": "Do it\n", "tests/test.sh": "#!/bin/sh\necho 1 > /logs/verifier/reward.txt\n",
                     "environment/docker-compose.yaml": "services: {}\n"]
        let created = try await fx.create("Mine", files: files)
        let detail = try await fx.call(.GET, "/api/tasks/\(created.id)").json(API.TaskDetail.self)
        for (path, text) in files { #expect(detail.files[path] == text, "\(path)") }
        #expect(detail.files["environment/Dockerfile"] == nil)  // a compose file is an environment
        #expect(detail.files["tests/test.py"] != nil)            // the document's key is always there
        await fx.close()
    }

    @Test(arguments: TestBackend.allCases)
    func listIsNewestFirstWithStatusSearchAndPaging(_ backend: TestBackend) async throws {
        let fx = try await TaskManagerFixture(backend: backend)
        var ids: [String] = []
        for index in 0..<25 {
            ids.append(try await fx.create("Task \(index)", description: index % 5 == 0 ? "About ÜBER caching" : "plain").id)
        }
        let first = try await fx.call(.GET, "/api/tasks").json(API.TaskList.self)
        #expect(first.total == 25)
        #expect(first.tasks.map(\.id) == Array(ids.reversed().prefix(20)))
        let second = try await fx.call(.GET, "/api/tasks?page=2&limit=20").json(API.TaskList.self)
        #expect(second.tasks.map(\.id) == Array(ids.reversed().dropFirst(20)))
        let beyond = try await fx.call(.GET, "/api/tasks?page=9").json(API.TaskList.self)
        #expect(beyond.tasks.isEmpty && beyond.total == 25)
        // Search: case-insensitive (Unicode too) over name and description.
        let search = try await fx.call(.GET, "/api/tasks?search=%C3%BCber%20CACHING").json(API.TaskList.self)
        #expect(search.total == 5)
        #expect(search.tasks.map(\.id) == [ids[20], ids[15], ids[10], ids[5], ids[0]])
        // A needle under three characters is scanned rather than looked up: the same answer.
        let short = try await fx.call(.GET, "/api/tasks?search=%C3%9C").json(API.TaskList.self)
        #expect(short.tasks.map(\.id) == search.tasks.map(\.id))
        let byName = try await fx.call(.GET, "/api/tasks?search=task%2012").json(API.TaskList.self)
        #expect(byName.tasks.map(\.id) == [ids[12]])
        // A rename reaches the search index; a deletion leaves it.
        #expect(await fx.call(.PUT, "/api/tasks/\(ids[7])", json: #"{"name":"Renamed Zebra"}"#).status == 200)
        #expect(try await fx.call(.GET, "/api/tasks?search=zebra").json(API.TaskList.self).tasks.map(\.id) == [ids[7]])
        #expect(try await fx.call(.GET, "/api/tasks?search=task%207").json(API.TaskList.self).total == 0)
        #expect(await fx.call(.DELETE, "/api/tasks/\(ids[7])").status == 200)
        #expect(try await fx.call(.GET, "/api/tasks?search=zebra").json(API.TaskList.self).total == 0)
        ids.remove(at: 7)
        // Status.
        #expect(await fx.call(.PUT, "/api/tasks/\(ids[3])", json: #"{"status":"ready"}"#).status == 200)
        let ready = try await fx.call(.GET, "/api/tasks?status=ready").json(API.TaskList.self)
        #expect(ready.total == 1)
        #expect(ready.tasks.first?.id == ids[3])
        #expect(ready.tasks.first?.status == .ready)
        let draftSearch = try await fx.call(.GET, "/api/tasks?status=draft&search=task%203").json(API.TaskList.self)
        #expect(draftSearch.total == 0)
        let limited = try await fx.call(.GET, "/api/tasks?limit=3&page=2").json(API.TaskList.self)
        #expect(limited.tasks.map(\.id) == [ids[20], ids[19], ids[18]])  // after the deletion above
        await fx.close()
    }

    @Test func listRefusesBadParameters() async throws {
        let fx = try await TaskManagerFixture()
        for query in ["status=done", "status=DRAFTY", "page=0", "page=x", "limit=0", "limit=101", "limit=-1", "page=1.5", "search=a%00b"] {
            let response = await fx.call(.GET, "/api/tasks?\(query)")
            #expect(response.status == 400, "\(query): \(response.text)")
            #expect(!response.detail.hasPrefix("<no detail"), "\(query)")
        }
        #expect(await fx.call(.GET, "/api/tasks?status=&page=&limit=").status == 200)
        #expect(await fx.call(.GET, "/api/tasks?status=Completed").status == 200)
        for search in ["%22", "%22%22%22", "a%22b", "*", "NEAR(a%20b)", "a%20OR%20b", "%25", "_", "%E2%9C%93%F0%9F%98%80", "x" + String(repeating: "y", count: 3000)] {
            #expect(await fx.call(.GET, "/api/tasks?search=\(search)").status == 200, "\(search)")
        }
        await fx.close()
    }

    @Test(arguments: TestBackend.allCases)
    func partialUpdateWritesAndDeletesFiles(_ backend: TestBackend) async throws {
        let fx = try await TaskManagerFixture(backend: backend)
        let created = try await fx.create("Edit me", description: "first", files: ["tests/helper.py": "x = 1\n", "solution/solve.sh": "true\n"])
        let response = await fx.call(.PUT, "/api/tasks/\(created.id)",
                                     json: #"{"description":"second","files":{"tests/helper.py":null,"tests/test.py":"def test_ok():\n    assert True\n","extra/notes.md":"n"}}"#)
        #expect(response.status == 200, "\(response.text)")
        let updated = try response.json(API.TaskSummary.self)
        #expect(updated.name == "Edit me")
        #expect(updated.description == "second")
        #expect(updated.status == .draft)
        #expect(updated.createdAt == created.createdAt)
        let detail = try await fx.call(.GET, "/api/tasks/\(created.id)").json(API.TaskDetail.self)
        #expect(detail.files["tests/helper.py"] == nil)
        #expect(detail.files["tests/test.py"] == "def test_ok():\n    assert True\n")
        #expect(detail.files["extra/notes.md"] == "n")
        #expect(detail.files["solution/solve.sh"] == "true\n")
        #expect(!FileManager.default.fileExists(atPath: fx.tasksRoot.appendingPathComponent("\(created.id)/tests/helper.py").path))
        // Deleting a required Harbor file brings its default back.
        _ = await fx.call(.PUT, "/api/tasks/\(created.id)", json: #"{"files":{"tests/test.sh":null}}"#)
        let again = try await fx.call(.GET, "/api/tasks/\(created.id)").json(API.TaskDetail.self)
        #expect(again.files["tests/test.sh"] == TaskTemplates.testScript())
        // Nothing left in the staging area.
        #expect(try fx.stagedEntries().isEmpty)
        await fx.close()
    }

    @Test(arguments: TestBackend.allCases)
    func deleteRemovesRowAndDirectory(_ backend: TestBackend) async throws {
        let fx = try await TaskManagerFixture(backend: backend)
        let created = try await fx.create("Doomed")
        let response = await fx.call(.DELETE, "/api/tasks/\(created.id)")
        #expect(response.status == 200)
        #expect(response.text == #"{"message":"Task deleted successfully"}"#)
        #expect(!FileManager.default.fileExists(atPath: created.path))
        #expect(await fx.call(.GET, "/api/tasks/\(created.id)").status == 404)
        #expect(await fx.call(.DELETE, "/api/tasks/\(created.id)").status == 404)
        #expect(try await fx.call(.GET, "/api/tasks").json(API.TaskList.self).total == 0)
        await fx.close()
    }

    @Test(arguments: TestBackend.allCases)
    func unknownAndMalformedIdsAre404(_ backend: TestBackend) async throws {
        let fx = try await TaskManagerFixture(backend: backend)
        for id in ["nope", "..", "%2E%2E", "a%2Fb", ".staging", "x%00y"] {
            for method in [HTTPMethod.GET, .DELETE] {
                let response = await fx.call(method, "/api/tasks/\(id)")
                #expect(response.status == 404, "\(method) \(id): \(response.text)")
            }
            #expect(await fx.call(.PUT, "/api/tasks/\(id)", json: #"{"name":"x"}"#).status == 404, "\(id)")
            #expect(await fx.call(.GET, "/api/tasks/\(id)/export").status == 404, "\(id)")
        }
        await fx.close()
    }

    @Test func badBodiesAreRefusedAndStoreNothing() async throws {
        let fx = try await TaskManagerFixture(["MAX_TASK_FILES": "8", "MAX_TASK_FILE_BYTES": "2048", "MAX_TASK_BYTES": "4096"])
        let cases: [(String, Int)] = [
            ("", 422), ("not json", 400), ("[1,2]", 422), (#"{"description":"no name"}"#, 422), (#"{"name":5}"#, 422),
            (#"{"name":"   "}"#, 400), (#"{"name":"x","files":{"/etc/passwd":"x"}}"#, 400),
            (#"{"name":"x","files":{"../escape.txt":"x"}}"#, 400), (#"{"name":"x","files":{"a/../../b":"x"}}"#, 400),
            (#"{"name":"x","files":{"a\\b":"x"}}"#, 400), (#"{"name":"x","files":{"a//b":"x"}}"#, 400),
            (#"{"name":"x","files":{"tests":"x","tests/a.py":"y"}}"#, 400), (#"{"name":"x","files":{"a":1}}"#, 422),
            (#"{"name":"x","files":{"big":"\#(String(repeating: "a", count: 3000))"}}"#, 413),
            (#"{"name":"x","files":{"1":"a","2":"a","3":"a","4":"a","5":"a","6":"a","7":"a","8":"a","9":"a"}}"#, 413),
            (#"{"name":"x","files":{"a":"\#(String(repeating: "a", count: 2000))","b":"\#(String(repeating: "a", count: 2000))","c":"\#(String(repeating: "a", count: 2000))"}}"#, 413),
        ]
        for (body, status) in cases {
            let response = await fx.call(.POST, "/api/tasks", json: body)
            #expect(response.status == status, "\(body.prefix(80)): \(response.text)")
            #expect(!response.detail.hasPrefix("<no detail"), "\(body.prefix(80))")
        }
        #expect(try await fx.call(.GET, "/api/tasks").json(API.TaskList.self).total == 0)
        let tasks = try FileManager.default.contentsOfDirectory(atPath: fx.tasksRoot.path).filter { !$0.hasPrefix(".") }
        #expect(tasks.isEmpty)
        await fx.close()
    }

    @Test func badUpdatesLeaveTheTaskAsItWas() async throws {
        let fx = try await TaskManagerFixture(["MAX_TASK_FILE_BYTES": "2048"])
        let created = try await fx.create("Keep me", description: "safe", files: ["tests/test.py": "def test_x():\n    pass\n"])
        let before = await fx.call(.GET, "/api/tasks/\(created.id)").text
        for (body, status) in [(#"{"status":"done"}"#, 422), (#"{"name":""}"#, 400), (#"{"files":{"../x":"y"}}"#, 400),
                               (#"{"files":{"../x":null}}"#, 400), (#"{"files":{"big":"\#(String(repeating: "b", count: 4000))"}}"#, 413),
                               ("{", 400), (#"{"files":{"tests/test.py/x":"y"}}"#, 400), (#"{"files":[]}"#, 422)] {
            let response = await fx.call(.PUT, "/api/tasks/\(created.id)", json: body)
            #expect(response.status == status, "\(body): \(response.text)")
        }
        #expect(await fx.call(.GET, "/api/tasks/\(created.id)").text == before)  // files are written sorted: the same bytes
        await fx.close()
    }

    @Test func concurrentUpdatesOfOneTaskLoseNothing() async throws {
        let fx = try await TaskManagerFixture()
        let created = try await fx.create("Busy")
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<16 {
                group.addTask { _ = await fx.call(.PUT, "/api/tasks/\(created.id)", json: #"{"files":{"notes/\#(index).txt":"\#(index)"}}"#) }
            }
        }
        let detail = try await fx.call(.GET, "/api/tasks/\(created.id)").json(API.TaskDetail.self)
        for index in 0..<16 { #expect(detail.files["notes/\(index).txt"] == "\(index)", "\(index)") }
        await fx.close()
    }

    @Test func tasksSurviveARestartAndOrphanDirectoriesAreIndexed() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tm-restart-\(UUID().uuidString)")
        let fx = try await TaskManagerFixture(dataDirectory: directory)
        let kept = try await fx.create("Kept", description: "still here")
        await fx.closeKeepingData()
        // A task directory without a row (copied in, or a crash between the move and the commit).
        let orphan = fx.tasksRoot.appendingPathComponent("hand-made-1")
        try FileManager.default.createDirectory(at: orphan.appendingPathComponent("tests"), withIntermediateDirectories: true)
        try "schema_version = \"1.4\"\n[task]\nname = \"me/hand-made\"\ndescription = \"made by hand\"\n"
            .write(to: orphan.appendingPathComponent("task.toml"), atomically: true, encoding: .utf8)
        // A half-written version left in the staging area by a crash.
        let half = fx.tasksRoot.appendingPathComponent(".staging/\(kept.id).deadbeef")
        try FileManager.default.createDirectory(at: half, withIntermediateDirectories: true)
        let reopened = try await TaskManagerFixture(dataDirectory: directory)
        let list = try await reopened.call(.GET, "/api/tasks").json(API.TaskList.self)
        #expect(Set(list.tasks.map(\.id)) == [kept.id, "hand-made-1"])
        #expect(list.tasks.first { $0.id == "hand-made-1" }?.description == "made by hand")
        #expect(try await reopened.call(.GET, "/api/tasks/\(kept.id)").json(API.TaskDetail.self).description == "still here")
        #expect(!FileManager.default.fileExists(atPath: half.path))
        await reopened.close()
    }

    @Test func twoReplicasOnOnePostgresSchemaAndOneTasksDirectory() async throws {
        let shared = FileManager.default.temporaryDirectory.appendingPathComponent("tm-shared-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: shared) }
        let database = try TestDatabaseLocation(.postgres)
        let first = try await TaskManagerFixture(["TASKS_DIR": shared.path], database: database)
        let second = try await TaskManagerFixture(["TASKS_DIR": shared.path], database: database)
        // pg_trgm is there (deploy/lib.sh installs postgresql-contrib): searches use the index.
        #expect(try await first.instance.repository.store.hasSearchIndex())
        // Made on one replica, read, searched and exported through the other.
        let created = try await first.create("Shared task", description: "found by trigram")
        let detail = try await second.call(.GET, "/api/tasks/\(created.id)").json(API.TaskDetail.self)
        #expect(detail.name == "Shared task")
        #expect(try await second.call(.GET, "/api/tasks?search=TRIGRAM").json(API.TaskList.self).tasks.map(\.id) == [created.id])
        #expect(await second.call(.GET, "/api/tasks/\(created.id)/export").status == 200)
        // 24 partial updates at once, alternating replicas, each adding its own file and
        // setting the description: every file lands (no update made from a stale read
        // overwrites another), the row is one of the descriptions written.
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<24 {
                let replica = index % 2 == 0 ? first : second
                group.addTask {
                    let body = #"{"description":"edit \#(index)","files":{"notes/\#(index).md":"note \#(index)"}}"#
                    return await replica.call(.PUT, "/api/tasks/\(created.id)", json: body).status
                }
            }
            for try await status in group { #expect(status == 200) }
        }
        let after = try await first.call(.GET, "/api/tasks/\(created.id)").json(API.TaskDetail.self)
        #expect(Set(after.files.keys.filter { $0.hasPrefix("notes/") }) == Set((0..<24).map { "notes/\($0).md" }))
        #expect((0..<24).map { "edit \($0)" }.contains(after.description))
        #expect(try await second.call(.GET, "/api/tasks/\(created.id)").json(API.TaskDetail.self) == after)
        #expect(try first.stagedEntries().isEmpty && second.stagedEntries().isEmpty)
        // A replica starting later keeps the others' staging folders and adopts no row twice.
        let third = try await TaskManagerFixture(["TASKS_DIR": shared.path], database: database)
        #expect(try await third.call(.GET, "/api/tasks").json(API.TaskList.self).total == 1)
        #expect(FileManager.default.fileExists(atPath: first.instance.repository.stagingDirectory.path))
        // Deleted through one, gone on the other.
        #expect(await second.call(.DELETE, "/api/tasks/\(created.id)").status == 200)
        #expect(await first.call(.GET, "/api/tasks/\(created.id)").status == 404)
        await third.closeKeepingData()
        await second.closeKeepingData()
        await first.close()
    }
}
