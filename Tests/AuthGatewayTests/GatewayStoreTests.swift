import AuthGateway
import Contracts
import Foundation
import Storage
import Testing
import TestSupport

/// Every query of the gateway's store, on SQLite and on PostgreSQL (each backend's
/// migration and each dialect's text of the named queries).
@Suite("Gateway store on SQLite and PostgreSQL")
struct GatewayStoreTests {
    func withStore(_ backend: TestBackend, _ body: (GatewayStore) async throws -> Void) async throws {
        try await TestDatabaseLocation.withStore(backend, open: { try await GatewayStore.open($0.location, poolSize: 2, schema: $0.schema) },
                                                 close: { await $0.close() }) { store, _ in try await body(store) }
    }

    /// A new user `name` (role user) with one key, made at `now`: the key's principal.
    func principal(ofNewUser name: String, in store: GatewayStore, now: Date) async throws -> Principal {
        _ = try await store.createUser(name: name, roles: ["user"], now: now)
        let (_, key) = try await store.createKey(userName: name, label: "", now: now)
        return try #require(try await store.principal(keyHash: Secrets.digest(key)))
    }

    @Test(arguments: TestBackend.allCases)
    func usersKeysAndRevocation(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let now = Date(timeIntervalSince1970: 1_700_000_000.25)
            let alice = try await store.createUser(name: "alice", roles: ["user", "admin", "user"], now: now)
            let bob = try await store.createUser(name: "bob", roles: ["user"], now: now)
            #expect(bob.id > alice.id)
            await #expect(throws: StoreError.conflict("user 'alice' already exists")) {
                _ = try await store.createUser(name: "alice", roles: ["user"], now: now)
            }
            #expect(try await store.users().map(\.name) == ["alice", "bob"])
            #expect(try await store.user(named: "alice") == alice)
            #expect(alice.roles == ["user", "admin"])
            #expect(try await store.userCount() == 2)

            let (record, key) = try await store.createKey(userName: "alice", label: "laptop", now: now)
            let second = try await store.createKey(userName: "alice", label: "ci", now: now).record
            #expect(try await store.keys(userName: "alice").map(\.id) == [record.id, second.id])
            let principal = try #require(try await store.principal(keyHash: Secrets.digest(key)))
            #expect(principal.userID == alice.id && principal.keyID == record.id && principal.name == "alice")

            let revoked = try await store.revokeKey(id: record.id, now: now.addingTimeInterval(5))
            #expect(revoked.revokedAt == now.addingTimeInterval(5))
            #expect(try await store.principal(keyHash: Secrets.digest(key)) == nil)
            await #expect(throws: StoreError.notFound("no key 999")) { _ = try await store.revokeKey(id: 999, now: now) }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func sessionsCapsExpiryAndDisabledUsers(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let now = Date(timeIntervalSince1970: 1_700_000_000)
            let principal = try await principal(ofNewUser: "carol", in: store, now: now)
            var hashes: [String] = []
            for index in 0..<4 {
                let hash = Secrets.digest("session-\(index)")
                hashes.append(hash)
                // All at the same second: the cap must still end the oldest first.
                let outcome = try await store.createSession(hash: hash, principal: principal, now: now,
                                                            expiresAt: now.addingTimeInterval(Double(60 * (index + 1))), maxPerKey: 2)
                #expect(outcome == .stored(ended: index >= 2 ? [hashes[index - 2]] : []))
            }
            #expect(try await store.session(hash: hashes[0]) == nil)
            let live = try #require(try await store.session(hash: hashes[3]))
            #expect(live.principal == principal)
            #expect(live.expiresAt == now.addingTimeInterval(240))
            #expect(try await store.deleteExpiredSessions(now: now.addingTimeInterval(180)) == 1)  // session 2 (expires at +180)
            #expect(try await store.session(hash: hashes[2]) == nil)

            _ = try await store.disableUser(named: "carol")
            #expect(try await store.session(hash: hashes[3]) == nil)
            let refused = try await store.createSession(hash: Secrets.digest("late"), principal: principal, now: now,
                                                        expiresAt: now.addingTimeInterval(60), maxPerKey: 0)
            #expect(refused == .keyInactive)
        }
    }

    /// A session records its key's use at most once a minute (concurrent sessions of one key
    /// write its row once), and announces the sessions it ends under the cap.
    @Test(arguments: TestBackend.allCases)
    func sessionsRecordKeyUseOnceAMinuteAndAnnounceWhatTheyEnd(_ backend: TestBackend) async throws {
        try await withStore(backend) { store in
            let start = Date(timeIntervalSince1970: 1_700_000_000)
            let principal = try await principal(ofNewUser: "dana", in: store, now: start)
            let announcements = try await store.db.listen(channel: GatewayStore.revocationChannel)
            let firstHeard = Task { () -> DatabaseNotification? in
                for await announcement in announcements { return announcement }
                return nil
            }
            // A hang guard: a stream cancelled ends (nil), and the expectation below fails.
            let hangGuard = Task {
                try await Task.sleep(for: .seconds(60))
                firstHeard.cancel()
            }
            var hashes: [String] = []
            for (index, offset) in [0.0, 30, 61].enumerated() {
                let now = start.addingTimeInterval(offset)
                hashes.append(Secrets.digest("dana-\(index)"))
                _ = try await store.createSession(hash: hashes[index], principal: principal, now: now,
                                                  expiresAt: now.addingTimeInterval(3600), maxPerKey: 2)
                let recorded = offset == 30 ? start : now
                #expect(try await store.keys(userName: "dana")[0].lastUsedAt == recorded)
            }
            // The third session ended the first: announced to every listener.
            let announcement = await firstHeard.value
            hangGuard.cancel()
            #expect(announcement == .payload(try Revocation.sessions(hashes: [hashes[0]]).payload))
            #expect(Revocation(payload: try Revocation.sessions(hashes: [hashes[0]]).payload) == .sessions(hashes: [hashes[0]]))
        }
    }

    /// Forty sessions of one key made at once through two stores on one database (two
    /// replicas) with a cap of 5: every one is stored (none refused, none failed after
    /// retries), exactly the cap is left, and the 35 ended are each ended once.
    @Test(arguments: TestBackend.allCases)
    func sessionsOfOneKeyMadeAtOnceOnTwoReplicasAllLandUnderTheCap(_ backend: TestBackend) async throws {
        try await TestDatabaseLocation.withStore(backend, open: { location in
            [try await GatewayStore.open(location.location, poolSize: 4, schema: location.schema),
             try await GatewayStore.open(location.location, poolSize: 4, schema: location.schema)]
        }, close: { stores in for store in stores { await store.close() } }) { stores, _ in
            let now = Date(timeIntervalSince1970: 1_700_000_000)
            let principal = try await principal(ofNewUser: "erin", in: stores[0], now: now)
            let hashes = (0..<40).map { Secrets.digest("erin-\($0)") }
            let outcomes = try await withThrowingTaskGroup(of: SessionInsert.self) { group in
                for (index, hash) in hashes.enumerated() {
                    group.addTask {
                        try await stores[index % 2].createSession(hash: hash, principal: principal, now: now,
                                                                  expiresAt: now.addingTimeInterval(3600), maxPerKey: 5)
                    }
                }
                return try await group.reduce(into: [SessionInsert]()) { $0.append($1) }
            }
            var ended: [String] = []
            for outcome in outcomes {
                guard case .stored(let endedHere) = outcome else {
                    Issue.record("a session was not stored: \(outcome)")
                    continue
                }
                ended += endedHere
            }
            var kept: [String] = []
            for hash in hashes where try await stores[0].session(hash: hash) != nil { kept.append(hash) }
            #expect(kept.count == 5)
            #expect(ended.count == 35 && Set(ended).count == 35)
            #expect(Set(ended).union(kept) == Set(hashes))
        }
    }
}
