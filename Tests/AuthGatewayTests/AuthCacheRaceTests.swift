import AuthGateway
import Foundation
import Storage
import Synchronization
import Testing
import TestSupport

/// A database that, when asked to, holds the next read's answer (already read) until the
/// test lets it go: a credential's lookup is then in flight while the test revokes it.
final class HoldingDatabase: SQLDatabase {
    let inner: any SQLDatabase
    private let holds = Mutex<[(parked: TestGate, release: TestGate)]>([])

    init(_ inner: any SQLDatabase) { self.inner = inner }

    var dialect: SQLDialect { inner.dialect }

    func listen(channel: String) async throws -> AsyncStream<DatabaseNotification> { try await inner.listen(channel: channel) }

    /// The next read parks after reading: `parked` opens then, and it returns once
    /// `release` opens.
    func holdNextRead(parked: TestGate, release: TestGate) { holds.withLock { $0.append((parked, release)) } }

    func write<T: Sendable>(_ body: @Sendable (any SQLConnection) throws -> T) async throws -> T { try await inner.write(body) }

    func write<T: Sendable>(isolation: WriteIsolation, _ body: @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await inner.write(isolation: isolation, body)
    }

    func writeStatement<T: Sendable>(_ body: @Sendable (any SQLConnection) throws -> T) async throws -> T { try await inner.writeStatement(body) }

    func read<T: Sendable>(_ body: @Sendable (any SQLConnection) throws -> T) async throws -> T {
        let value = try await inner.read(body)
        if let hold = holds.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
            hold.parked.open()
            await hold.release.wait()
        }
        return value
    }

    func close() async { await inner.close() }
}

/// The check asked for with issue 10: a key revoked or a user disabled while a database
/// read for that credential is in flight (the `Authenticator` actor re-entered during
/// the read) must not be cached by that read for another `AUTH_CACHE_TTL_S`.
@Suite("auth cache: revocations during an in-flight read")
struct AuthCacheRaceTests {
    func setup() async throws -> (Authenticator, HoldingDatabase, GatewayStore, ManualClock, String, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-race-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let opened = try await GatewayStore.open(path: dir.appendingPathComponent("gateway.sqlite").path)
        let database = HoldingDatabase(opened.db)
        let store = GatewayStore(db: database)
        let clock = ManualClock()
        _ = try await store.createUser(name: "alice", roles: ["user"], now: clock.now())
        let key = try await store.createKey(userName: "alice", label: "", now: clock.now()).key
        let auth = Authenticator(store: store, clock: clock, sessionLifetime: 3600, revalidateAfter: 30)
        return (auth, database, store, clock, key, dir)
    }

    @Test func keyRevokedWhileItsLookupIsInFlight() async throws {
        let (auth, database, store, _, key, dir) = try await setup()
        let parked = TestGate(), release = TestGate()
        database.holdNextRead(parked: parked, release: release)
        // The lookup reads the key (still valid) and is held there ...
        let lookup = Task { try await auth.principal(apiKey: key) }
        await parked.wait()
        // ... while the key is revoked through the same actor.
        _ = try await auth.revokeKey(id: 1)
        release.open()
        _ = try? await lookup.value
        // The revoked key is not served from a cache filled by the older read.
        await #expect(throws: AuthFailure.invalidKey) { try await auth.principal(apiKey: key) }
        await store.close()
        try? FileManager.default.removeItem(at: dir)
    }

    @Test func userDisabledWhileASessionLookupIsInFlight() async throws {
        let (auth, database, store, clock, key, dir) = try await setup()
        let session = try await auth.createSession(apiKey: key)
        #expect(auth.cachedPrincipal(session: session) != nil)
        // Past the cache's trust the session is read from the database again.
        clock.advance(by: 31)
        let parked = TestGate(), release = TestGate()
        database.holdNextRead(parked: parked, release: release)
        let lookup = Task { try await auth.principal(session: session) }
        await parked.wait()
        _ = try await auth.disableUser(named: "alice")
        release.open()
        _ = try? await lookup.value
        #expect(auth.cachedPrincipal(session: session) == nil)
        await #expect(throws: AuthFailure.invalidSession) { try await auth.principal(session: session) }
        await store.close()
        try? FileManager.default.removeItem(at: dir)
    }

    @Test func sessionMadeForAKeyRevokedMeanwhileIsRefused() async throws {
        let (auth, _, store, _, key, dir) = try await setup()
        let principal = try await auth.principal(apiKey: key)
        // Revoked between the key check and the session's insert (the route awaits in between).
        _ = try await auth.revokeKey(id: 1)
        await #expect(throws: AuthFailure.invalidKey) { try await auth.createSession(for: principal) }
        #expect(try await store.db.read { try $0.queryOne("SELECT COUNT(*) FROM sessions")!.get(0, as: Int.self) } == 0)
        await store.close()
        try? FileManager.default.removeItem(at: dir)
    }
}
