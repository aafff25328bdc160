import AuthGateway
import Foundation
import HTTPCore
import ServiceKit
import Testing
import TestSupport

@Suite("ping and sessions")
struct SessionTests {
    @Test func ping() async throws {
        let t = try await TestGateway.make()
        let r = await t.app.call(.GET, "/ping")
        #expect(r.status == 200)
        #expect(r.text == "pong")
        await t.close()
    }

    @Test func sessionFromGoodKeyWithGetAndPost() async throws {
        let t = try await TestGateway.make()
        let key = try await t.user("alice")
        let g = await t.app.call(.GET, "/session", headers: ["API-Key": key])
        #expect(g.status == 200)
        #expect(g.headers["Content-Type"]?.hasPrefix("text/plain") == true)
        #expect(g.text.count == 43)
        let p = await t.app.call(.POST, "/session", headers: ["API-Key": key])
        #expect(p.status == 200)
        #expect(p.text != g.text)
        // The session id is stored only hashed.
        let stored = try await t.store.db.read { try $0.query("SELECT hash FROM sessions").map { try $0.get(0, as: String.self) } }
        #expect(stored.count == 2)
        #expect(!stored.contains(g.text))
        #expect(stored.contains(Secrets.digest(g.text)))
        // Keys too: only the digest is in the database.
        let keyRows = try await t.store.db.read { try $0.query("SELECT hash, prefix FROM api_keys") }
        #expect(try keyRows[0].get(0, as: String.self) == Secrets.digest(key))
        #expect(key.hasPrefix(try keyRows[0].get(1, as: String.self)))
        await t.close()
    }

    @Test func missingKeyIs401AndUnknownKeyIs403() async throws {
        let t = try await TestGateway.make()
        try await t.user("alice")
        let none = await t.app.call(.GET, "/session")
        #expect(none.status == 401)
        #expect(none.code == 401)
        #expect(none.object?["description"] as? String != nil)
        let unknown = await t.app.call(.GET, "/session", headers: ["API-Key": Secrets.newAPIKey()])
        #expect(unknown.status == 403)
        #expect(unknown.code == 403)
        let garbage = await t.app.call(.GET, "/session", headers: ["API-Key": "not a key"])
        #expect(garbage.status == 403)
        await t.close()
    }

    @Test func revokedKeyIs403AndEndsItsSessions() async throws {
        let t = try await TestGateway.make()
        let key = try await t.user("alice")
        let sid = await t.session(key)
        let before = await t.app.call(.GET, "/admin/users", headers: ["Session-ID": sid])
        #expect(before.status == 403)  // authenticated (not 401), but not an admin
        let keyID = try await t.store.keys(userName: "alice")[0].id
        _ = try await t.gateway.auth.revokeKey(id: keyID)
        let r = await t.app.call(.GET, "/session", headers: ["API-Key": key])
        #expect(r.status == 403)
        // The session made from it is gone, from the cache too.
        let adminKey = try await t.user("root", roles: ["admin"])
        let viaSession = await t.app.call(.GET, "/admin/users", headers: ["Session-ID": sid])
        #expect(viaSession.status == 403)
        #expect(viaSession.object?["description"] as? String == "invalid or expired session")
        #expect(await t.app.call(.GET, "/admin/users", headers: ["API-Key": adminKey]).status == 200)
        await t.close()
    }

    @Test func sessionExpiresAtOneHour() async throws {
        let t = try await TestGateway.make()
        let key = try await t.user("alice", roles: ["admin"])
        let sid = await t.session(key)
        t.clock.advance(by: 3599)
        #expect(await t.app.call(.GET, "/admin/users", headers: ["Session-ID": sid]).status == 200)
        t.clock.advance(by: 1)
        let expired = await t.app.call(.GET, "/admin/users", headers: ["Session-ID": sid])
        #expect(expired.status == 403)
        #expect(expired.code == 403)
        // A new session from the same key works.
        let fresh = await t.session(key)
        #expect(await t.app.call(.GET, "/admin/users", headers: ["Session-ID": fresh]).status == 200)
        await t.close()
    }

    @Test func expiryAlsoHoldsAfterCacheRevalidation() async throws {
        // With a tiny cache TTL every check goes to the database: expiry still at 1 h.
        let t = try await TestGateway.make(env: ["AUTH_CACHE_TTL_S": "0"])
        let key = try await t.user("alice", roles: ["admin"])
        let sid = await t.session(key)
        t.clock.advance(by: 1800)
        #expect(await t.app.call(.GET, "/admin/users", headers: ["Session-ID": sid]).status == 200)
        t.clock.advance(by: 1800)
        #expect(await t.app.call(.GET, "/admin/users", headers: ["Session-ID": sid]).status == 403)
        await t.close()
    }

    @Test func disabledUserLosesKeysAndSessions() async throws {
        let t = try await TestGateway.make()
        let key = try await t.user("alice", roles: ["admin"])
        let sid = await t.session(key)
        #expect(await t.app.call(.GET, "/admin/users", headers: ["Session-ID": sid]).status == 200)
        _ = try await t.gateway.auth.disableUser(named: "alice")
        #expect(await t.app.call(.GET, "/admin/users", headers: ["Session-ID": sid]).status == 403)
        #expect(await t.app.call(.GET, "/session", headers: ["API-Key": key]).status == 403)
        let rows = try await t.store.db.read { try $0.queryOne("SELECT COUNT(*) FROM sessions")!.get(0, as: Int.self) }
        #expect(rows == 0)
        await t.close()
    }

    @Test func changesByAnotherProcessApplyAfterCacheTTL() async throws {
        // The CLI revokes in another process: the server notices on revalidation.
        let t = try await TestGateway.make(env: ["AUTH_CACHE_TTL_S": "30"])
        let key = try await t.user("alice", roles: ["admin"])
        let sid = await t.session(key)
        let keyID = try await t.store.keys(userName: "alice")[0].id
        _ = try await t.store.revokeKey(id: keyID, now: t.clock.now())  // bypasses the cache
        t.clock.advance(by: 31)
        #expect(await t.app.call(.GET, "/admin/users", headers: ["Session-ID": sid]).status == 403)
        #expect(await t.app.call(.GET, "/admin/users", headers: ["API-Key": key]).status == 403)
        await t.close()
    }

    @Test func legacyClientErrorsAnswer200WithTheSameBody() async throws {
        let t = try await TestGateway.make(env: ["LEGACY_CLIENT_ERRORS": "1"])
        let r = await t.app.call(.GET, "/session", headers: ["API-Key": Secrets.newAPIKey()])
        #expect(r.status == 200)
        #expect(r.code == 403)
        let p = await t.app.call(.POST, "/predict", headers: ["Session-ID": "expiredsession"])
        #expect(p.status == 200)
        #expect(p.code == 403)
        let none = await t.app.call(.POST, "/mass_upload")
        #expect(none.status == 200)
        #expect(none.code == 401)
        // Other paths keep real statuses.
        let admin = await t.app.call(.GET, "/admin/users")
        #expect(admin.status == 401)
        await t.close()
        // And without the setting, /session answers 403.
        let plain = try await TestGateway.make()
        #expect(await plain.app.call(.GET, "/session", headers: ["API-Key": Secrets.newAPIKey()]).status == 403)
        await plain.close()
    }
}

@Suite("bookkeeping")
struct BookkeepingTests {
    @Test func sessionCreationRecordsKeyUseAndMetrics() async throws {
        let t = try await TestGateway.make()
        let key = try await t.user("alice")
        #expect(try await t.store.keys(userName: "alice")[0].lastUsedAt == nil)
        _ = await t.session(key)
        _ = await t.session(key)
        #expect(try await t.store.keys(userName: "alice")[0].lastUsedAt == t.clock.now())
        #expect(t.metrics.value("gateway_sessions_created_total") == 2)
        let m = await t.app.call(.GET, "/metrics", identity: .testOperator)
        #expect(m.status == 200)
        #expect(m.text.contains("gateway_sessions_created_total 2"))
        await t.close()
    }

    @Test func requestIDIsKeptOrMadeAndEchoed() async throws {
        let t = try await TestGateway.make()
        let kept = await t.app.call(.GET, "/ping", headers: ["X-Request-Id": "abc-123"])
        #expect(kept.headers["X-Request-Id"] == "abc-123")
        let made = await t.app.call(.GET, "/ping", headers: ["X-Request-Id": "bad id with spaces"])
        #expect(made.headers["X-Request-Id"]?.count == 15)
        await t.close()
    }

    @Test func credentialParsing() {
        let basic = "Basic " + Data("bob:cbk_x".utf8).base64EncodedString()
        #expect(Credential(headers: ["Authorization": basic]) == .basic(user: "bob", key: "cbk_x"))
        #expect(Credential(headers: ["authorization": "bearer abc"]) == .session("abc"))
        #expect(Credential(headers: ["Authorization": "Bearer cbk_abc"]) == .apiKey("cbk_abc"))
        #expect(Credential(headers: ["Coder-Session-Token": "cbk_k"]) == .apiKey("cbk_k"))
        #expect(Credential(headers: ["Session-ID": "s", "API-Key": "cbk_k"]) == .session("s"))
        #expect(Credential(headers: ["Authorization": "Basic !!!"]) == nil)
        #expect(Credential(headers: [:]) == nil)
    }
}
