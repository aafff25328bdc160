// SQLite claim-transaction throughput through SQLiteDatabase.write (release build):
//   swift run -c release bench-storage
import Foundation
import Storage

enum WriteThroughputBenchmark {
    static func run() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let n = 50_000
        let db = try await SQLiteDatabase(path: path, migrations: [
            Migration(version: 1, name: "uplets", sql: "CREATE TABLE uplets (id INTEGER PRIMARY KEY, status TEXT NOT NULL, worker TEXT)"),
        ])
        try await db.write { conn in
            for _ in 0..<n { try conn.run("INSERT INTO uplets (status) VALUES ('todo')") }
        }
        let clock = ContinuousClock()
        // Baseline: the same transactions on the raw writer connection (no actor hop).
        let raw = try await db.withWriterConnection { conn -> Duration in
            ContinuousClock().measure {
                for id in 1...n {
                    _ = try? conn.transaction(.immediate) {
                        try $0.run("UPDATE uplets SET worker = ? WHERE id = ? AND status = 'todo'", "w0", id)
                    }
                }
            }
        }
        let rs = Double(raw.components.seconds) + Double(raw.components.attoseconds) / 1e18
        print("STORAGE_BENCH raw connection transactions (no actor): \(Int(Double(n) / rs))/s")
        var claimed = 0
        let elapsed = try await clock.measure {
            for id in 1...n {
                claimed += try await db.write {
                    try $0.run("UPDATE uplets SET status = 'pending', worker = ? WHERE id = ? AND status = 'todo'", "w1", id)
                }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("STORAGE_BENCH sequential claim transactions: \(n) in \(String(format: "%.3f", seconds)) s = \(Int(Double(n) / seconds))/s")

        // Concurrent: 16 tasks racing over the same rows again (all already pending: 0 wins).
        try await db.write { try $0.run("UPDATE uplets SET status = 'todo'") }
        let concurrent = try await clock.measure {
            let wins = try await withThrowingTaskGroup(of: Int.self) { group in
                for t in 0..<16 {
                    group.addTask {
                        var won = 0
                        for id in stride(from: 1 + t, through: n, by: 16) {
                            won += try await db.write {
                                try $0.run("UPDATE uplets SET status = 'pending', worker = ? WHERE id = ? AND status = 'todo'", "w\(t)", id)
                            }
                        }
                        return won
                    }
                }
                return try await group.reduce(0, +)
            }
            precondition(wins == n)
        }
        let cs = Double(concurrent.components.seconds) + Double(concurrent.components.attoseconds) / 1e18
        print("STORAGE_BENCH concurrent (16 tasks) claim transactions: \(Int(Double(n) / cs))/s")
        await db.close()
        precondition(claimed == n)
    }
}

try await WriteThroughputBenchmark.run()
