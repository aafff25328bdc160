import Contracts
import Crypto
import Foundation
import Synchronization

/// Turns API keys into sessions and credentials into principals. Sessions and keys are
/// cached here so a request authenticates without a database round trip; revoking a
/// key or disabling a user through this actor drops them from the cache at once. Entries
/// are re-checked against the database every `revalidateAfter` seconds, so changes made
/// by the CLI (another process) take effect within that time.
public actor Authenticator {
    /// The store.
    public nonisolated let store: GatewayStore
    /// The clock.
    public nonisolated let clock: any GatewayClock
    /// How long a session lives (one hour).
    public nonisolated let sessionLifetime: TimeInterval
    /// How long a cached entry is trusted before the database is asked again.
    public nonisolated let revalidateAfter: TimeInterval
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

    /// An authenticator over `store`; sessions live `sessionLifetime` seconds, cached
    /// entries are trusted for `revalidateAfter` seconds.
    public init(store: GatewayStore, clock: any GatewayClock = SystemClock(), sessionLifetime: TimeInterval = 3600, revalidateAfter: TimeInterval = 30) {
        self.store = store
        self.clock = clock
        self.sessionLifetime = sessionLifetime
        self.revalidateAfter = revalidateAfter
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
            if now.timeIntervalSince(cached.touchedAt) >= 60 {
                keys[hash]?.touchedAt = now
                try? await store.touchKey(id: principal.keyID, now: now)
            }
        } else {
            guard let found = try await store.principal(keyHash: hash) else {
                keys[hash] = nil
                throw AuthFailure.invalidKey
            }
            let touched = keys[hash]?.touchedAt
            keys[hash] = CachedKey(principal: found, checkedAt: now, touchedAt: touched ?? now)
            if touched.map({ now.timeIntervalSince($0) >= 60 }) ?? true { try? await store.touchKey(id: found.keyID, now: now) }
            principal = found
        }
        if let userName, !ConstantTime.equals(userName, principal.name) { throw AuthFailure.invalidKey }
        return principal
    }

    /// Makes a session for an API key; returns the session id (shown once, stored hashed).
    public func createSession(apiKey: String) async throws -> String {
        let principal = try await self.principal(apiKey: apiKey)
        return try await createSession(for: principal)
    }

    /// Makes a session for an authenticated principal.
    public func createSession(for principal: Principal) async throws -> String {
        let id = Secrets.newSessionID()
        let key = Secrets.digestValue(id)
        let now = clock.now()
        let expires = now.addingTimeInterval(sessionLifetime)
        try await store.createSession(hash: key.hex, principal: principal, now: now, expiresAt: expires)
        sessions.withLock { $0[key] = CachedSession(principal: principal, expiresAt: expires, checkedAt: now) }
        created += 1
        if created % 1024 == 0 { sweep(now) }
        return id
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
        guard let stored = try await store.session(hash: key.hex), now < stored.expiresAt else {
            sessions.withLock { $0[key] = nil }
            throw AuthFailure.invalidSession
        }
        sessions.withLock { $0[key] = CachedSession(principal: stored.principal, expiresAt: stored.expiresAt, checkedAt: now) }
        return stored.principal
    }

    /// Revokes a key: its sessions end, in the database and in this cache.
    public func revokeKey(id: Int64) async throws -> AuthGatewayAPI.APIKey {
        let record = try await store.revokeKey(id: id, now: clock.now())
        sessions.withLock { $0 = $0.filter { $0.value.principal.keyID != id } }
        keys = keys.filter { $0.value.principal.keyID != id }
        return record
    }

    /// Disables a user: its sessions end, in the database and in this cache.
    public func disableUser(named name: String) async throws -> AuthGatewayAPI.User {
        let user = try await store.disableUser(named: name)
        sessions.withLock { $0 = $0.filter { $0.value.principal.userID != user.id } }
        keys = keys.filter { $0.value.principal.userID != user.id }
        return user
    }

    /// Number of cached sessions (tests, metrics).
    public var cachedSessionCount: Int { sessions.withLock { $0.count } }

    /// Drops expired sessions from the cache, and from the database in the background.
    private func sweep(_ now: Date) {
        sessions.withLock { $0 = $0.filter { $0.value.expiresAt > now } }
        let store = self.store
        Task { try? await store.deleteExpiredSessions(now: now) }
    }
}
