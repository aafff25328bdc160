import Contracts
import Crypto
import Foundation
import Storage
import Synchronization

/// Turns API keys into sessions and credentials into principals. Sessions and keys are
/// cached here so a request authenticates without a database round trip; revoking a
/// key or disabling a user through this actor drops them from the cache at once.
///
/// Other processes on the same database (the other gateway replicas, the command line)
/// announce what they end (`Revocation`, on `GatewayStore.revocationChannel`): after
/// `followRevocations()`, each announcement drops what it names from both caches as soon as
/// it arrives (PostgreSQL: every replica, within the notification's delivery), and
/// `.possiblyMissed` (the listening connection was lost and re-made) drops both caches
/// whole. Entries are also re-checked against the database every `revalidateAfter`
/// seconds: the bound for what nothing announces to this process (on SQLite, the command
/// line, another process, is not heard).
///
/// A database read for a credential may be in flight while a revocation (a revoked key, a
/// disabled user, sessions ended under the per-key cap) runs on this actor between its
/// suspensions: each finished revocation moves `revocations`, and an answer read while it
/// moved is read again before anything is cached, so a revoked credential never re-enters
/// the cache from a read that began before its revocation.
public actor Authenticator {
    /// The store.
    public nonisolated let store: GatewayStore
    /// The clock.
    public nonisolated let clock: any GatewayClock
    /// How long a session lives (one hour).
    public nonisolated let sessionLifetime: TimeInterval
    /// How long a cached entry is trusted before the database is asked again.
    public nonisolated let revalidateAfter: TimeInterval
    /// Live sessions one key may hold; making one more ends the oldest (0: no cap).
    public nonisolated let maxSessionsPerKey: Int
    /// Every user's requests in flight upstream, attached to the principals cached here.
    public nonisolated let loads: UserLoads
    /// Session cache behind a mutex: the proxy's hot path reads it without an actor hop
    /// (`cachedPrincipal(session:)`); every change goes through this actor.
    private nonisolated let sessions = Mutex<[SHA256.Digest: CachedSession]>([:])
    private var keys: [String: CachedKey] = [:]
    /// Digests of recently presented session ids (a client sends the same one on every
    /// request): SHA-256 once per session instead of once per request. Bounded; only in
    /// memory (the database holds digests alone).
    private nonisolated let digests = Mutex<[String: SHA256.Digest]>([:])
    private static let digestMemoSize = 16_384
    /// Sessions made by this process (every 1024th sweeps the expired ones).
    private var created = 0
    /// Revocations finished by this actor (keys revoked, users disabled, sessions ended
    /// under the cap); a read that saw this move is not trusted for the cache.
    private var revocations = 0
    /// Announcements heard from the database (`followRevocations()`), `.possiblyMissed` included.
    private let announcementsHeard = Mutex(0)
    /// How many times a read is repeated while revocations keep finishing under it
    /// before its answer is returned uncached.
    private static let rereads = 3

    /// An authenticator over `store`; sessions live `sessionLifetime` seconds, cached
    /// entries are trusted for `revalidateAfter` seconds, a key holds at most
    /// `maxSessionsPerKey` live sessions (0: any number), and cached principals carry
    /// their user's load from `loads`.
    public init(store: GatewayStore, clock: any GatewayClock = SystemClock(), sessionLifetime: TimeInterval = 3600,
                revalidateAfter: TimeInterval = 30, maxSessionsPerKey: Int = 0, loads: UserLoads = UserLoads()) {
        self.store = store
        self.clock = clock
        self.sessionLifetime = sessionLifetime
        self.revalidateAfter = revalidateAfter
        self.maxSessionsPerKey = maxSessionsPerKey
        self.loads = loads
    }

    /// Runs a database read for a credential; while revocations finish during it, reads
    /// again (a few times). `cacheable` is false when they never stopped: the answer is
    /// then returned but not cached.
    private func readUnderRevocations<Value: Sendable>(_ read: () async throws -> Value) async throws -> (value: Value, cacheable: Bool) {
        for _ in 0..<Authenticator.rereads {
            let before = revocations
            let value = try await read()
            if revocations == before { return (value, true) }
        }
        return (try await read(), false)
    }

    /// `principal` with its user's load attached.
    private nonisolated func withLoad(_ principal: Principal) -> Principal {
        guard principal.load == nil else { return principal }
        var attached = principal
        attached.load = loads.load(of: principal.userID)
        return attached
    }

    /// The principal of an API key (optionally required to belong to `userName`, for
    /// HTTP Basic).
    public func principal(apiKey: String, userName: String? = nil) async throws -> Principal {
        guard apiKey.hasPrefix(Secrets.keyPrefix), Secrets.isPlausible(apiKey) else { throw AuthFailure.invalidKey }
        let hash = Secrets.digest(apiKey)
        let now = clock.now()
        let principal: Principal
        if let cached = keys[hash], now.timeIntervalSince(cached.checkedAt) < revalidateAfter {
            principal = cached.principal
            if now.timeIntervalSince(cached.touchedAt) >= GatewayStore.keyTouchInterval {
                keys[hash]?.touchedAt = now
                try? await store.touchKey(id: principal.keyID, now: now)
            }
        } else {
            let (stored, cacheable) = try await readUnderRevocations { try await store.principal(keyHash: hash) }
            guard let stored else {
                keys[hash] = nil
                throw AuthFailure.invalidKey
            }
            let found = withLoad(stored)
            let touched = keys[hash]?.touchedAt
            if cacheable { keys[hash] = CachedKey(principal: found, checkedAt: now, touchedAt: touched ?? now) }
            if touched.map({ now.timeIntervalSince($0) >= GatewayStore.keyTouchInterval }) ?? true { try? await store.touchKey(id: found.keyID, now: now) }
            principal = found
        }
        if let userName, !ConstantTime.equals(userName, principal.name) { throw AuthFailure.invalidKey }
        return principal
    }

    /// Makes a session for an API key; returns the session id (shown once, stored hashed).
    public func createSession(apiKey: String) async throws -> String {
        let principal = try await self.principal(apiKey: apiKey)
        return try await createSession(for: principal).id
    }

    /// Makes a session for an authenticated principal; when the key already holds
    /// `maxSessionsPerKey` live sessions, its oldest end (`endedAtCap`: how many). Refused
    /// (`invalidKey`) when the key was revoked or its user disabled since the principal
    /// was found.
    public func createSession(for principal: Principal) async throws -> (id: String, endedAtCap: Int) {
        let id = Secrets.newSessionID()
        let key = Secrets.digestValue(id)
        let now = clock.now()
        let expires = now.addingTimeInterval(sessionLifetime)
        let before = revocations
        let insert = try await store.createSession(hash: key.hex, principal: principal, now: now, expiresAt: expires,
                                                   maxPerKey: maxSessionsPerKey)
        guard case .stored(let ended) = insert else { throw AuthFailure.invalidKey }
        // A revocation that finished meanwhile may have run before the insert was visible
        // to it: the session is not cached then (the database decides on first use).
        let cacheable = revocations == before
        let principal = withLoad(principal)
        sessions.withLock { cache in
            for digest in ended.compactMap(SHA256.Digest.init(hex:)) { cache[digest] = nil }
            if cacheable { cache[key] = CachedSession(principal: principal, expiresAt: expires, checkedAt: now) }
        }
        if !ended.isEmpty { revocations += 1 }
        created += 1
        if created % 1024 == 0 { sweep(now) }
        return (id, ended.count)
    }

    /// The principal of a live, recently checked session from the cache, without an actor
    /// hop; nil when the database must be asked (`principal(session:)`).
    public nonisolated func cachedPrincipal(session: String) -> Principal? {
        guard Secrets.isPlausible(session) else { return nil }
        let key = sessionDigest(session)
        let now = clock.now()
        return sessions.withLock { cache in
            guard let cached = cache[key], now < cached.expiresAt, now.timeIntervalSince(cached.checkedAt) < revalidateAfter else { return nil }
            return cached.principal
        }
    }

    /// The digest of a session id, memoised.
    private nonisolated func sessionDigest(_ session: String) -> SHA256.Digest {
        if let digest = digests.withLock({ $0[session] }) { return digest }
        let digest = Secrets.digestValue(session)
        digests.withLock { memo in
            if memo.count >= Authenticator.digestMemoSize { memo.removeAll(keepingCapacity: true) }
            memo[session] = digest
        }
        return digest
    }

    /// The principal of a live session.
    public func principal(session: String) async throws -> Principal {
        guard Secrets.isPlausible(session) else { throw AuthFailure.invalidSession }
        let key = sessionDigest(session)
        let now = clock.now()
        let lookup = sessions.withLock { cache -> SessionCacheLookup in
            guard let cached = cache[key] else { return .stale }
            if now >= cached.expiresAt { cache[key] = nil; return .expired }
            return now.timeIntervalSince(cached.checkedAt) < revalidateAfter ? .fresh(cached.principal) : .stale
        }
        switch lookup {
        case .fresh(let principal): return principal
        case .expired: throw AuthFailure.invalidSession
        case .stale: break
        }
        let (read, cacheable) = try await readUnderRevocations { try await store.session(hash: key.hex) }
        guard let stored = read, now < stored.expiresAt else {
            sessions.withLock { $0[key] = nil }
            throw AuthFailure.invalidSession
        }
        let principal = withLoad(stored.principal)
        if cacheable { sessions.withLock { $0[key] = CachedSession(principal: principal, expiresAt: stored.expiresAt, checkedAt: now) } }
        return principal
    }

    /// Revokes a key: its sessions end, in the database and in this cache (the other
    /// replicas hear it from the store).
    public func revokeKey(id: Int64) async throws -> AuthGatewayAPI.APIKey {
        let record = try await store.revokeKey(id: id, now: clock.now())
        forget(.key(id: id))
        return record
    }

    /// Disables a user: its sessions end, in the database and in this cache (the other
    /// replicas hear it from the store).
    public func disableUser(named name: String) async throws -> AuthGatewayAPI.User {
        let user = try await store.disableUser(named: name)
        forget(.user(id: user.id))
        return user
    }

    /// Listens to the revocations every process on the store's database announces (this
    /// one's too); returns once listening, so a revocation committed afterwards is heard.
    /// The listening ends when the store is closed.
    public func followRevocations() async throws {
        let announcements = try await store.db.listen(channel: GatewayStore.revocationChannel)
        Task { [weak self] in
            for await announcement in announcements {
                guard let self else { return }
                await self.hear(announcement)
            }
        }
    }

    /// Acts on one announcement: drops what a revocation names; drops everything for
    /// `.possiblyMissed` or a payload that is not a revocation.
    func hear(_ announcement: DatabaseNotification) {
        announcementsHeard.withLock { $0 += 1 }
        switch announcement {
        case .payload(let text):
            if let revocation = Revocation(payload: text) { forget(revocation) } else { forgetEverything() }
        case .possiblyMissed:
            forgetEverything()
        }
    }

    /// Drops from both caches what `revocation` ends; a database read in flight meanwhile
    /// is not cached (`revocations` moves).
    private func forget(_ revocation: Revocation) {
        switch revocation {
        case .key(let id):
            sessions.withLock { $0 = $0.filter { $0.value.principal.keyID != id } }
            keys = keys.filter { $0.value.principal.keyID != id }
        case .user(let id):
            sessions.withLock { $0 = $0.filter { $0.value.principal.userID != id } }
            keys = keys.filter { $0.value.principal.userID != id }
        case .sessions(let hashes):
            let ended = hashes.compactMap(SHA256.Digest.init(hex:))
            sessions.withLock { cache in for digest in ended { cache[digest] = nil } }
        }
        revocations += 1
    }

    /// Drops both caches whole (every credential is read from the database again).
    private func forgetEverything() {
        sessions.withLock { $0.removeAll() }
        keys.removeAll()
        revocations += 1
    }

    /// Announcements heard since start (tests, metrics).
    public nonisolated var announcementsHeardCount: Int { announcementsHeard.withLock { $0 } }

    /// Number of cached sessions (tests, metrics).
    public var cachedSessionCount: Int { sessions.withLock { $0.count } }

    /// Drops expired sessions from the cache, and from the database in the background.
    private func sweep(_ now: Date) {
        sessions.withLock { $0 = $0.filter { $0.value.expiresAt > now } }
        let store = self.store
        Task { try? await store.deleteExpiredSessions(now: now) }
    }
}
