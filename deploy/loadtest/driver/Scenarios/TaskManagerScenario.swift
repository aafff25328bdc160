import Contracts

/// task-manager: each connection creates a Harbor task, reads it, updates it, searches the
/// list twice (by a word of the name, by status), exports it as a ZIP and deletes three
/// tasks of four (the store grows as people's does).
public struct TaskManagerScenario: Scenario {
    /// No fixtures: every task is made by the loop.
    public typealias Fixture = Void

    public let name = "task-manager"
    public let mix = "per cycle: create, get, update, 2 × list (search by word, by status), export (ZIP), delete 3 of 4"
    public let defaultConnections = 16

    /// A scenario.
    public init() {}

    public func prepare(_ setup: Worker, options: LoadOptions) async throws {}

    public func run(_ worker: Worker, _ fixture: Void) async {
        var cycle = 0
        while worker.isRunning {
            cycle += 1
            let word = "lt\(worker.runID)w\(worker.index)"
            let create = TaskManagerAPI.CreateTaskRequest(name: "\(word) task \(cycle)", description: "Load test task \(cycle): parse a CSV file",
                                                          files: Self.files(cycle))
            guard let created = await worker.send("create", .POST, "/api/tasks", json: create, expect: [200, 201]),
                  let task = created.decoded(TaskManagerAPI.TaskSummary.self) else { continue }
            let path = "/api/tasks/\(task.id)"
            await worker.send("get", .GET, path)
            let update = TaskManagerAPI.UpdateTaskRequest(description: "Updated in cycle \(cycle)", status: .ready,
                                                          files: [TaskManagerAPI.FileKey.solution: "#!/bin/bash\necho solved \(cycle)\n"])
            await worker.send("update", .PUT, path, json: update)
            await worker.send("search", .GET, "/api/tasks?search=\(QueryText.encode(word))&page=1&limit=20")
            await worker.send("list by status", .GET, "/api/tasks?status=ready&page=1&limit=20")
            await worker.send("export", .GET, path + "/export")
            if cycle % 4 != 0 { await worker.send("delete", .DELETE, path) }
        }
    }

    /// A task's files as the document lays them out.
    static func files(_ cycle: Int) -> [String: String] {
        [
            TaskManagerAPI.FileKey.instruction: "# Parse the CSV\n\nRead `data.csv` and print the sum of the `amount` column (cycle \(cycle)).\n",
            TaskManagerAPI.FileKey.taskConfig: """
                version = "1.0"

                [metadata]
                author_name = "load test"
                difficulty = "easy"
                category = "data"
                tags = ["csv", "load-test"]

                [verifier]
                timeout_sec = 120.0

                [agent]
                timeout_sec = 600.0

                """,
            TaskManagerAPI.FileKey.testPy: """
                import subprocess


                def test_sum():
                    out = subprocess.run(["python3", "solution.py"], capture_output=True, text=True).stdout
                    assert out.strip() == "\(cycle * 3)"

                """,
            TaskManagerAPI.FileKey.dockerfile: "FROM python:3.12-slim\nWORKDIR /app\nCOPY data.csv /app/data.csv\n",
        ]
    }
}
