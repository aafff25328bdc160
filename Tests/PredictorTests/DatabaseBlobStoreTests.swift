import Foundation
@testable import Predictor
import Storage
import Testing
import TestSupport

/// The uploads in the database (`DATABASE_URL` set), on SQLite and on PostgreSQL: the same
/// rules as the file store (replacing, clashes, usage, quotas, all or nothing), and on
/// PostgreSQL one quota across two replicas uploading at once; personal models saved by one
/// replica into the shared models directory used by the other.
@Suite("predictor: uploads in the database, models shared by replicas")
struct DatabaseBlobStoreTests {
    func withStore(_ backend: TestBackend, quota: BlobQuota,
                   _ body: (DatabaseBlobStore, TestDatabaseLocation) async throws -> Void) async throws {
        try await TestDatabaseLocation.withStore(backend, open: { try await DatabaseBlobStore.open($0.location, quota: quota, poolSize: 2, schema: $0.schema) },
                                                 close: { await $0.close() }, body)
    }

    @Test(arguments: TestBackend.allCases)
    func storesReplacesCountsAndRefuses(_ backend: TestBackend) async throws {
        try await withStore(backend, quota: BlobQuota(bytes: 100, files: 4, directories: 3)) { store, _ in
            try await store.put(user: "alice", workspace: "ws", files: ["a/b.py": Array("12345".utf8), "c.py": Array("xy".utf8)])
            #expect(try await store.get(user: "alice", workspace: "ws", path: "a/b.py") == Array("12345".utf8))
            #expect(try await store.get(user: "alice", workspace: "ws", path: "nope.py") == nil)
            #expect(try await store.get(user: "bob", workspace: "ws", path: "c.py") == nil)
            // ws and ws/a: two directories.
            #expect(try await store.usage(user: "alice") == BlobUsage(bytes: 7, files: 2, directories: 2))
            // Replacing a file counts the difference only.
            try await store.put(user: "alice", workspace: "ws", files: ["c.py": Array("xyz".utf8)])
            #expect(try await store.usage(user: "alice") == BlobUsage(bytes: 8, files: 2, directories: 2))
            // Clashes: a file where a directory is, a file under a file; nothing stored.
            await #expect(throws: BlobStoreError.clash(path: "a")) {
                try await store.put(user: "alice", workspace: "ws", files: ["a": [1], "d.py": [1]])
            }
            await #expect(throws: BlobStoreError.clash(path: "c.py/x.py")) {
                try await store.put(user: "alice", workspace: "ws", files: ["c.py/x.py": [1]])
            }
            #expect(try await store.get(user: "alice", workspace: "ws", path: "d.py") == nil)
            // Quotas: each dimension, nothing stored when refused.
            await #expect(throws: BlobStoreError.quotaExceeded(kind: .bytes, limit: 100, wouldUse: 108)) {
                try await store.put(user: "alice", workspace: "ws", files: ["big.py": Array(repeating: 0, count: 100)])
            }
            await #expect(throws: BlobStoreError.quotaExceeded(kind: .files, limit: 4, wouldUse: 5)) {
                try await store.put(user: "alice", workspace: "ws", files: ["1.py": [1], "2.py": [1], "3.py": [1]])
            }
            await #expect(throws: BlobStoreError.quotaExceeded(kind: .directories, limit: 3, wouldUse: 4)) {
                try await store.put(user: "alice", workspace: "other", files: ["x/y.py": [1]])
            }
            #expect(try await store.usage(user: "alice") == BlobUsage(bytes: 8, files: 2, directories: 2))
            // Another user has a quota of their own.
            try await store.put(user: "bob", workspace: "ws", files: ["big.py": Array(repeating: 7, count: 100)])
            #expect(try await store.usage(user: "bob") == BlobUsage(bytes: 100, files: 1, directories: 1))
        }
    }

    @Test func oneQuotaAcrossTwoReplicasUploadingAtOnce() async throws {
        try await withStore(.postgres, quota: BlobQuota(bytes: 1_000, files: 1_000, directories: 1_000)) { first, location in
            let second = try await DatabaseBlobStore.open(location.location, quota: first.quota, poolSize: 2, schema: location.schema)
            defer { Task { await second.close() } }
            // 30 uploads of 100 bytes each, alternating replicas: exactly 10 fit.
            let stored = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<30 {
                    let store = index % 2 == 0 ? first : second
                    group.addTask {
                        do {
                            try await store.put(user: "alice", workspace: "ws", files: ["f\(index).py": Array(repeating: 1, count: 100)])
                            return true
                        } catch let error as BlobStoreError {
                            if case .quotaExceeded = error { return false }
                            throw error
                        }
                    }
                }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(stored == 10)
            #expect(try await second.usage(user: "alice") == BlobUsage(bytes: 1_000, files: 10, directories: 1))
        }
    }

    @Test func aModelSavedByOneReplicaIsUsedByTheOther() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pred-shared-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = PredictorEngine.Configuration(baseCacheFile: directory.appendingPathComponent("base"), userDirectory: directory)
        configuration.sharedUserDirectory = true
        let first = PredictorEngine(configuration: configuration)
        let second = PredictorEngine(configuration: configuration)
        #expect(await second.userModel("alice") == nil)  // none yet: remembered as absent
        try await first.upload(user: "alice", files: ["ws/a.py": "def first_helper():\n    pass\n"])
        let seen = try #require(await second.userModel("alice"))
        #expect(Set(seen.files.keys) == ["ws/a.py"])
        // The second replica holds it; a newer save by the first replaces it there too.
        try await first.upload(user: "alice", files: ["ws/b.py": "def second_helper():\n    pass\n"])
        #expect(Set(try #require(await second.userModel("alice")).files.keys) == ["ws/a.py", "ws/b.py"])
        // An upload through the second builds on the first's latest model.
        try await second.upload(user: "alice", files: ["ws/c.py": "def third_helper():\n    pass\n"])
        #expect(Set(try #require(await first.userModel("alice")).files.keys) == ["ws/a.py", "ws/b.py", "ws/c.py"])
    }

    @Test func uploadsOfOneUserToTwoReplicasAtOnceAreAllKept() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pred-shared-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = PredictorEngine.Configuration(baseCacheFile: directory.appendingPathComponent("base"), userDirectory: directory)
        configuration.sharedUserDirectory = true
        let replicas = [PredictorEngine(configuration: configuration), PredictorEngine(configuration: configuration)]
        // Twenty uploads at once, alternating replicas: each builds on the model the other
        // saved, none is lost to a save made from an older one.
        let names = (0..<20).map { "ws/upload_\($0).py" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, name) in names.enumerated() {
                let replica = replicas[index % 2]
                group.addTask { try await replica.upload(user: "alice", files: [name: "def helper_\(index)():\n    pass\n"]) }
            }
            try await group.waitForAll()
        }
        for replica in replicas {
            #expect(Set(try #require(await replica.userModel("alice")).files.keys) == Set(names))
        }
    }
}
