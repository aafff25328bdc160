import AuthGateway
import Contracts
import Foundation
import HTTPCore
import ServiceKit
import Storage
import Testing
import TestSupport

/// Two gateways in process on one PostgreSQL schema, as two replicas would be: what one
/// does (sessions, revocations, the command line's changes) holds on the other. Each
/// gateway's clock stands still, so its cache's `AUTH_CACHE_TTL_S` never runs out: a
/// credential refused after it was cached was dropped by a revocation announced on the
/// database, nothing else.
@Suite("gateway replicas on one PostgreSQL schema", .serialized)
struct ReplicaAgreementTests {
    /// Two replicas (`first`, `second`) on one fresh schema; the test's body; then both
    /// closed and the schema dropped.
    func withReplicas(env: [String: String] = [:],
                      _ body: (_ first: TestGateway, _ second: TestGateway, _ location: TestDatabaseLocation) async throws -> Void) async throws {
        let location = try TestDatabaseLocation(.postgres)
        defer { location.remove() }
        let first = try await TestGateway.make(store: try await GatewayStore.open(location.location, poolSize: 2, schema: location.schema),
                                               env: env, transport: RecordingTransport())
        let second = try await TestGateway.make(store: try await GatewayStore.open(location.location, poolSize: 2, schema: location.schema),
                                                env: env, transport: RecordingTransport())
        do {
            try await body(first, second, location)
        } catch {
            await first.close()
            await second.close()
            throw error
        }
        await first.close()
        await second.close()
    }

    /// A proxied request on `gateway` with `headers`: 200 when the credential is accepted
    /// (the recording upstream answers), 403 when refused.
    func proxied(_ gateway: TestGateway, _ headers: HTTPHeaders) async -> Int {
        await gateway.app.call(.GET, "/api/tasks", headers: headers).status
    }

    /// Waits until `gateway` refuses `headers` (a hang guard, not a time limit: the
    /// announcement arrives within milliseconds); whether it did.
    func refusedEventually(_ gateway: TestGateway, _ headers: HTTPHeaders) async -> Bool {
        await eventually(timeout: .seconds(60), polling: .milliseconds(5)) { await proxied(gateway, headers) == 403 }
    }

    @Test func sessionMadeOnOneReplicaWorksOnTheOtherAtOnce() async throws {
        try await withReplicas { first, second, _ in
            let key = try await first.user("alice")
            let session = await first.session(key)
            #expect(Secrets.isPlausible(session))
            // The second replica never saw it: no cache entry, one database read.
            #expect(second.gateway.auth.cachedPrincipal(session: session) == nil)
            #expect(await proxied(second, ["Session-ID": session]) == 200)
            #expect(try await second.gateway.auth.principal(session: session).name == "alice")
            #expect(await proxied(second, ["API-Key": key]) == 200)
        }
    }

    @Test func keyRevokedThroughOneReplicasAdminIsRefusedByTheOther() async throws {
        try await withReplicas { first, second, _ in
            let admin = try await first.user("root", roles: ["admin"])
            let key = try await first.user("alice")
            let session = await first.session(key)
            // Cached on the second replica (its TTL never runs out here).
            #expect(await proxied(second, ["Session-ID": session]) == 200)
            #expect(await proxied(second, ["API-Key": key]) == 200)
            #expect(second.gateway.auth.cachedPrincipal(session: session) != nil)
            let keyID = try await first.store.keys(userName: "alice")[0].id
            let heardBefore = second.gateway.auth.announcementsHeardCount

            #expect(await first.app.call(.POST, "/admin/keys/\(keyID)/revoke", headers: ["API-Key": admin]).status == 200)
            #expect(await proxied(first, ["Session-ID": session]) == 403)
            #expect(await refusedEventually(second, ["Session-ID": session]))
            #expect(await proxied(second, ["API-Key": key]) == 403)
            #expect(second.gateway.auth.cachedPrincipal(session: session) == nil)
            #expect(second.gateway.auth.announcementsHeardCount > heardBefore)
            // The admin's own credentials are untouched on both.
            #expect(await second.app.call(.GET, "/admin/users", headers: ["API-Key": admin]).status == 200)
        }
    }

    @Test func userDisabledThroughTheCommandLineIsRefusedByBoth() async throws {
        try await withReplicas { first, second, location in
            let key = try await first.user("alice")
            let bobKey = try await first.user("bob")
            let session = await first.session(key)
            let bobSession = await second.session(bobKey)
            for gateway in [first, second] {
                #expect(await proxied(gateway, ["Session-ID": session]) == 200)
                #expect(await proxied(gateway, ["API-Key": key]) == 200)
                #expect(await proxied(gateway, ["Session-ID": bobSession]) == 200)
            }
            // The command line: a process of its own with its own connection to the schema.
            let commandLine = try await GatewayStore.open(location.location, poolSize: 1, schema: location.schema)
            var output: [String] = []
            let status = await GatewayCLI.run(["users", "disable", "alice"], store: commandLine, out: { output.append($0) }, err: { output.append($0) })
            await commandLine.close()
            #expect(status == 0, "\(output)")

            for gateway in [first, second] {
                #expect(await refusedEventually(gateway, ["Session-ID": session]))
                #expect(await proxied(gateway, ["API-Key": key]) == 403)
                #expect(await proxied(gateway, ["Session-ID": bobSession]) == 200)
            }
        }
    }

    @Test func sessionEndedUnderTheCapOnOneReplicaIsRefusedByTheOther() async throws {
        try await withReplicas(env: ["MAX_SESSIONS_PER_KEY": "1"]) { first, second, _ in
            let key = try await first.user("alice")
            let oldest = await first.session(key)
            #expect(await proxied(second, ["Session-ID": oldest]) == 200)
            let newest = await first.session(key)
            #expect(await refusedEventually(second, ["Session-ID": oldest]))
            #expect(await proxied(second, ["Session-ID": newest]) == 200)
            #expect(await proxied(second, ["API-Key": key]) == 200)
        }
    }

    @Test func aLostListenerDropsEveryCacheWhenItIsBack() async throws {
        try await withReplicas { first, second, location in
            let key = try await first.user("alice")
            let session = await first.session(key)
            #expect(await proxied(second, ["Session-ID": session]) == 200)
            // Revoked behind the gateways' backs (no announcement): the caches still serve it.
            let connection = try location.rawPostgresConnection()
            defer { connection.close() }
            try connection.execute("UPDATE api_keys SET revoked_at = 1")
            #expect(await proxied(second, ["Session-ID": session]) == 200)
            // Every listening connection of this schema is cut; each replica re-makes its
            // own and, having possibly missed announcements, drops its caches.
            try connection.execute("""
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE query LIKE 'LISTEN "\(location.schema).%' AND pid <> pg_backend_pid()
                """)
            #expect(await refusedEventually(second, ["Session-ID": session]))
            #expect(await refusedEventually(first, ["Session-ID": session]))
        }
    }
}
