import AuthGateway
import Contracts
import Foundation
import HTTPCore
import ServiceKit
import Storage
import Testing
import TestSupport

/// Issue 10, finding 8: `/session` and `/admin` were outside every limit, and one key
/// could hold any number of live sessions (4,000 in 0.4 s).
@Suite("session and admin limits")
struct SessionLimitTests {
    /// Live sessions of a key in the database.
    func storedSessions(_ t: TestGateway, keyID: Int64) async throws -> Int {
        try await t.store.db.read { try $0.queryOne("SELECT COUNT(*) FROM sessions WHERE key_id = ?", keyID)!.get(0) }
    }

    @Test func sessionCreationIsRateLimitedPerKeyByDefault() async throws {
        let t = try await TestGateway.make()
        let first = try await t.user("alice")
        let second = try await t.store.createKey(userName: "alice", label: "second", now: t.clock.now()).key
        // The clock stands still: the default burst of 20, then 429 with Retry-After.
        var statuses: [Int] = []
        for _ in 0..<25 { statuses.append(await t.app.call(.GET, "/session", headers: ["API-Key": first]).status) }
        #expect(statuses == Array(repeating: 200, count: 20) + Array(repeating: 429, count: 5))
        let refused = await t.app.call(.POST, "/session", headers: ["API-Key": first])
        #expect(refused.status == 429 && refused.code == 429)
        #expect(refused.headers["Retry-After"] == "1")
        #expect(t.metrics.value("gateway_sessions_rate_limited_total") == 6)
        // Each key has its own bucket, and the bucket refills (default: one a second).
        #expect(await t.app.call(.GET, "/session", headers: ["API-Key": second]).status == 200)
        t.clock.advance(by: 1)
        #expect(await t.app.call(.GET, "/session", headers: ["API-Key": first]).status == 200)
        #expect(await t.app.call(.GET, "/session", headers: ["API-Key": first]).status == 429)
        await t.close()
    }

    @Test func aKeyHoldsAtMostMaxSessionsAndTheOldestEndFirst() async throws {
        let t = try await TestGateway.make(env: ["MAX_SESSIONS_PER_KEY": "3", "SESSION_RATE_PER_KEY": "0"],
                                           transport: RecordingTransport())
        let key = try await t.user("alice")
        var sessions: [String] = []
        for _ in 0..<5 { sessions.append(await t.session(key)) }
        #expect(Set(sessions).count == 5 && sessions.allSatisfy { $0.count == 43 })
        #expect(try await storedSessions(t, keyID: 1) == 3)
        // The two oldest ended, in the cache as in the database; the three newest live.
        var statuses: [Int] = []
        for session in sessions { statuses.append(await t.app.call(.GET, "/api/tasks", headers: ["Session-ID": session]).status) }
        #expect(statuses == [403, 403, 200, 200, 200])
        #expect(t.metrics.value("gateway_sessions_ended_at_cap_total") == 2)
        // Past the cache's trust the database agrees.
        t.clock.advance(by: 31)
        statuses = []
        for session in sessions { statuses.append(await t.app.call(.GET, "/api/tasks", headers: ["Session-ID": session]).status) }
        #expect(statuses == [403, 403, 200, 200, 200])
        await t.close()
    }

    @Test func sessionsOfOtherKeysAreNotEnded() async throws {
        let t = try await TestGateway.make(env: ["MAX_SESSIONS_PER_KEY": "1", "SESSION_RATE_PER_KEY": "0"],
                                           transport: RecordingTransport())
        let first = try await t.user("alice")
        let second = try await t.store.createKey(userName: "alice", label: "second", now: t.clock.now()).key
        let kept = await t.session(second)
        _ = await t.session(first)
        _ = await t.session(first)
        #expect(await t.app.call(.GET, "/api/tasks", headers: ["Session-ID": kept]).status == 200)
        #expect(try await storedSessions(t, keyID: 2) == 1)
        await t.close()
    }

    @Test func adminRoutesAreRateLimitedAsTheProxyIs() async throws {
        let t = try await TestGateway.make(env: ["RATE_LIMIT_RPS": "1", "RATE_LIMIT_BURST": "2"])
        let admin = try await t.user("root", roles: ["admin"])
        var statuses: [Int] = []
        for _ in 0..<3 { statuses.append(await t.app.call(.GET, "/admin/users", headers: ["API-Key": admin]).status) }
        #expect(statuses == [200, 200, 429])
        let refused = await t.app.call(.GET, "/admin/users", headers: ["API-Key": admin])
        #expect(refused.code == 429 && refused.headers["Retry-After"] == "1")
        #expect(t.metrics.value("gateway_rate_limited_total") == 2)
        await t.close()
    }

    @Test func limitSettingsAreValidated() throws {
        #expect(throws: ConfigError.self) { try TestGateway.testOptions(["MAX_SESSIONS_PER_KEY": "-1"]) }
        #expect(throws: ConfigError.self) { try TestGateway.testOptions(["SESSION_BURST_PER_KEY": "0"]) }
        #expect(throws: ConfigError.self) { try TestGateway.testOptions(["UPSTREAM_MAX_PER_USER": "x"]) }
        let options = try TestGateway.testOptions(["UPSTREAM_MAX_CONNECTIONS": "256"])
        #expect(options.upstreamMaxPerUser == 64 && options.maxSessionsPerKey == 100)
        #expect(options.sessionRatePerKey == 1 && options.sessionBurstPerKey == 20)
        #expect(try TestGateway.testOptions(["UPSTREAM_MAX_PER_USER": "5"]).upstreamMaxPerUser == 5)
    }
}
