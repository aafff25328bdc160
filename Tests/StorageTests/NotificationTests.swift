import Foundation
import Testing
import TestSupport
@testable import Storage

/// `notify` inside a write and `listen`, on both backends.
@Suite("Notifications on SQLite and PostgreSQL")
struct NotificationTests {
    static let schema = [Migration(version: 1, name: "t", sql: "CREATE TABLE t (n INTEGER)")]

    struct Boom: Error {}

    /// The next event of `stream`, or a failure if none comes within `seconds` (a guard
    /// against hanging, not a timing assertion).
    static func next(_ stream: AsyncStream<DatabaseNotification>, within seconds: Int = 20) async throws -> DatabaseNotification? {
        try await withThrowingTaskGroup(of: DatabaseNotification?.self) { group in
            group.addTask {
                var iterator = stream.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                throw CancellationError()
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// A notification alone is a statement: `writeStatement` sends it in one round trip
    /// (autocommit on PostgreSQL) and it arrives.
    @Test(arguments: TestBackend.allCases)
    func aNotificationAloneIsASingleStatementWrite(_ backend: TestBackend) async throws {
        try await TestDatabaseLocation.with(backend, migrations: Self.schema) { db, _ in
            let stream = try await db.listen(channel: "progress")
            try await db.writeStatement { try $0.notify(channel: "progress", payload: "job 3: 40 %") }
            #expect(try await Self.next(stream) == .payload("job 3: 40 %"))
        }
    }

    @Test(arguments: TestBackend.allCases)
    func committedNotificationsArriveAndRolledBackOnesDoNot(_ backend: TestBackend) async throws {
        try await TestDatabaseLocation.with(backend, migrations: Self.schema) { db, _ in
            let stream = try await db.listen(channel: "changes")
            await #expect(throws: Boom.self) {
                try await db.write { conn in
                    try conn.notify(channel: "changes", payload: "rolled back")
                    throw Boom()
                }
            }
            try await db.write { conn in
                try conn.run("INSERT INTO t VALUES (1)")
                try conn.notify(channel: "other", payload: "not ours")
                try conn.notify(channel: "changes", payload: "key 7 revoked ✓")
            }
            // The rolled-back one never arrives: the first event is the committed one.
            #expect(try await Self.next(stream) == .payload("key 7 revoked ✓"))
        }
    }

    @Test(arguments: TestBackend.allCases)
    func notifyOutsideAWriteAndBadChannelNamesAreRefused(_ backend: TestBackend) async throws {
        try await TestDatabaseLocation.with(backend, migrations: Self.schema) { db, _ in
            let inRead = await #expect(throws: StorageError.self) {
                try await db.read { try $0.notify(channel: "changes", payload: "x") }
            }
            #expect(inRead?.kind == .invalidStatement)
            let badName = await #expect(throws: StorageError.self) { _ = try await db.listen(channel: "Bad-Name") }
            #expect(badName?.kind == .invalidConfiguration)
        }
    }

    @Test func postgresNotificationsReachOtherReplicasOfTheSameSchemaOnly() async throws {
        let location = try TestDatabaseLocation(.postgres)
        let neighbour = try TestDatabaseLocation(.postgres)
        defer {
            location.remove()
            neighbour.remove()
        }
        let replica1 = try await location.open(migrations: Self.schema)
        let replica2 = try await location.open(migrations: Self.schema)
        let otherService = try await neighbour.open(migrations: Self.schema)
        let stream = try await replica1.listen(channel: "changes")
        // Another schema's notification on a channel of the same name is sent first: if
        // channels were not scoped by schema, it would be the first to arrive.
        try await otherService.write { try $0.notify(channel: "changes", payload: "other service") }
        try await replica2.write { try $0.notify(channel: "changes", payload: "from replica 2") }
        #expect(try await Self.next(stream) == .payload("from replica 2"))
        await replica1.close()
        await replica2.close()
        await otherService.close()
    }

    @Test func postgresListenerRecoversFromALostConnection() async throws {
        let location = try TestDatabaseLocation(.postgres)
        defer { location.remove() }
        let name = "listener_\(UUID().uuidString.prefix(8).lowercased())"
        let db = try await location.open(migrations: Self.schema, postgresOptions: PostgresOptions(poolSize: 1, applicationName: name))
        let stream = try await db.listen(channel: "changes")
        let admin = try location.rawPostgresConnection()
        defer { admin.close() }
        // Ends every session of this database, the listener's included.
        try admin.run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?", name)
        #expect(try await Self.next(stream) == .possiblyMissed)
        try await db.write { try $0.notify(channel: "changes", payload: "after") }
        #expect(try await Self.next(stream) == .payload("after"))
        await db.close()
    }
}
