@testable import CodeRunner
import Foundation
import Storage
import Testing
import TestSupport

/// Every query of code-runner's store, on SQLite and on PostgreSQL; on PostgreSQL, two
/// replicas of one schema agreeing on session owners and seeing each other's dataset changes.
@Suite("code-runner store on SQLite and PostgreSQL")
struct CodeRunnerStoreTests {
    func withStore(_ backend: TestBackend, _ body: (CodeRunnerStore, TestDatabaseLocation) async throws -> Void) async throws {
        let location = try TestDatabaseLocation(backend)
        defer { location.remove() }
        let store = try await CodeRunnerStore.open(location.location, poolSize: 2, schema: location.schema)
        do {
            try await body(store, location)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    @Test(arguments: TestBackend.allCases)
    func sessionsDatasetsAndCode(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            #expect(try await store.claim(session: "s1", user: "alice"))
            #expect(try await store.claim(session: "s1", user: "alice"))
            #expect(try await !store.claim(session: "s1", user: "bob"))

            #expect(try await store.dataset(session: "s1") == nil)
            #expect(try await store.datasetCSV(session: "s1") == nil)
            let csv = "a,b\n1,é\n" + String(repeating: "x", count: 70_000)
            let info = StoredDataset(name: "sales", description: "2026", rows: 1, columns: ["a", "b"])
            try await store.putDataset(session: "s1", csv: csv, info: info)
            #expect(try await store.dataset(session: "s1") == info)
            #expect(try await store.datasetCSV(session: "s1") == csv)
            let replaced = StoredDataset(name: "other", description: "", rows: 2, columns: ["c"])
            try await store.putDataset(session: "s1", csv: "c\n1\n2\n", info: replaced)
            #expect(try await store.dataset(session: "s1") == replaced)
            try await store.removeDataset(session: "s1")
            #expect(try await store.dataset(session: "s1") == nil)

            #expect(try await store.latestCode(user: "alice", message: 7) == nil)
            try await store.putCode(user: "alice", message: 7, code: "print(1)", source: "execute")
            try await store.putCode(user: "alice", message: 7, code: "print(2)", source: "fix")
            try await store.putCode(user: "bob", message: 7, code: "print(3)", source: "edit")
            #expect(try await store.latestCode(user: "alice", message: 7) == "print(2)")
            #expect(try await store.latestCode(user: "bob", message: 7) == "print(3)")
            #expect(try await store.latestCode(user: "alice", message: 8) == nil)
        }
    }

    @Test(arguments: TestBackend.allCases)
    func datasetChangesAreAnnounced(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let changes = try await store.datasetChanges()
            #expect(try await store.claim(session: "s2", user: "alice"))
            try await store.putDataset(session: "s2", csv: "a\n1\n", info: StoredDataset(name: "d", description: "", rows: 1, columns: ["a"]))
            try await store.removeDataset(session: "s2")
            var iterator = changes.makeAsyncIterator()
            #expect(await iterator.next() == .some("s2"))
            #expect(await iterator.next() == .some("s2"))
        }
    }

    @Test func replicasAgreeOnOwnersAndHearDatasetChanges() async throws {
        try await withStore(.postgres) { first, location in
            let second = try await CodeRunnerStore.open(location.location, poolSize: 2, schema: location.schema)
            defer { Task { await second.close() } }
            // 40 claims of 10 new sessions from both replicas at once: one owner per session.
            let results = try await withThrowingTaskGroup(of: (String, String, Bool).self) { group in
                for index in 0..<40 {
                    let store = index % 2 == 0 ? first : second
                    let session = "s\(index % 10)"
                    let user = "u\(index % 4)"
                    group.addTask { (session, user, try await store.claim(session: session, user: user)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for session in Set(results.map(\.0)) {
                let owners = Set(results.filter { $0.0 == session && $0.2 }.map(\.1))
                #expect(owners.count == 1, "\(session): \(owners)")
            }
            // A dataset uploaded through one replica is announced to the other, and read there.
            let changes = try await second.datasetChanges()
            let owner = try #require(results.first { $0.0 == "s0" && $0.2 }?.1)
            #expect(try await first.claim(session: "s0", user: owner))
            try await first.putDataset(session: "s0", csv: "a\n1\n", info: StoredDataset(name: "d", description: "", rows: 1, columns: ["a"]))
            var iterator = changes.makeAsyncIterator()
            #expect(await iterator.next() == .some("s0"))
            #expect(try await second.datasetCSV(session: "s0") == "a\n1\n")
        }
    }
}
