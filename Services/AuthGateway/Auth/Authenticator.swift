import Contracts
import Crypto
import Foundation
import Synchronization

/// Why a credential was refused (rendered as 401/403 by the HTTP layer).
public enum AuthFailure: Error, Equatable {
    /// No credentials at all (401).
    case missing
    /// An unknown, revoked or malformed API key (403).
    case invalidKey
    /// An unknown or expired session (403).
    case invalidSession
}

/// Turns API keys into sessions and credentials into principals. Sessions and keys are
/// cached here so a request authenticates without a database round trip; revoking a
/// key or disabling a user through this actor drops them from the cache at once. Entries
/// are re-checked against the database every `revalidateAfter` seconds, so changes made
/// by the CLI (another process) take effect within that time.
public actor Authenticator {
    struct CachedSession {
        var principal: Principal
        var expiresAt: Date
        var checkedAt: Date
    }
    struct CachedKey {
        var principal: Principal
        var checkedAt: Date
        var touchedAt: Date
    }

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
    private var created = 0

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
        let p: Principal
        if let c = keys[hash], now.timeIntervalSince(c.checkedAt) < revalidateAfter {
            p = c.principal
            if now.timeIntervalSince(c.touchedAt) >= 60 {
                keys[hash]?.touchedAt = now
                try? await store.touchKey(id: p.keyID, now: now)
            }
        } else {
            guard let found = try await store.principal(keyHash: hash) else {
                keys[hash] = nil
                throw AuthFailure.invalidKey
            }
            let touched = keys[hash]?.touchedAt
            keys[hash] = CachedKey(principal: found, checkedAt: now, touchedAt: touched ?? now)
            if touched == nil || now.timeIntervalSince(touched!) >= 60 { try? await store.touchKey(id: found.keyID, now: now) }
            p = found
        }
        if let userName, !ConstantTime.equals(userName, p.name) { throw AuthFailure.invalidKey }
        return p
    }

    /// Makes a session for an API key; returns the session id (shown once, stored hashed).
    public func createSession(apiKey: String) async throws -> String {
        let p = try await principal(apiKey: apiKey)
        return try await createSession(for: p)
    }

    /// Makes a session for an authenticated principal.
    public func createSession(for p: Principal) async throws -> String {
        let id = Secrets.newSessionID()
        let key = Secrets.digestValue(id)
        let now = clock.now()
        let expires = now.addingTimeInterval(sessionLifetime)
        try await store.createSession(hash: key.hex, principal: p, now: now, expiresAt: expires)
        sessions.withLock { $0[key] = CachedSession(principal: p, expiresAt: expires, checkedAt: now) }
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
        return sessions.withLock { s in
            guard let c = s[key], now < c.expiresAt, now.timeIntervalSince(c.checkedAt) < revalidateAfter else { return nil }
            return c.principal
        }
    }

    /// The digest of a session id, memoised.
    private nonisolated func sessionDigest(_ session: String) -> SHA256.Digest {
        if let d = digests.withLock({ $0[session] }) { return d }
        let d = Secrets.digestValue(session)
        digests.withLock { m in
            if m.count >= Authenticator.digestMemoSize { m.removeAll(keepingCapacity: true) }
            m[session] = d
        }
        return d
    }

    /// The principal of a live session.
    public func principal(session: String) async throws -> Principal {
        guard Secrets.isPlausible(session) else { throw AuthFailure.invalidSession }
        let key = sessionDigest(session)
        let now = clock.now()
        enum Cached { case fresh(Principal), expired, stale }
        let cached = sessions.withLock { s -> Cached in
            guard let c = s[key] else { return .stale }
            if now >= c.expiresAt { s[key] = nil; return .expired }
            return now.timeIntervalSince(c.checkedAt) < revalidateAfter ? .fresh(c.principal) : .stale
        }
        switch cached {
        case .fresh(let p): return p
        case .expired: throw AuthFailure.invalidSession
        case .stale: break
        }
        guard let (p, expires) = try await store.session(hash: key.hex), now < expires else {
            sessions.withLock { $0[key] = nil }
            throw AuthFailure.invalidSession
        }
        sessions.withLock { $0[key] = CachedSession(principal: p, expiresAt: expires, checkedAt: now) }
        return p
    }

    /// Revokes a key: its sessions end, in the database and in this cache.
    public func revokeKey(id: Int64) async throws -> AuthGatewayAPI.APIKey {
        let rec = try await store.revokeKey(id: id, now: clock.now())
        sessions.withLock { $0 = $0.filter { $0.value.principal.keyID != id } }
        keys = keys.filter { $0.value.principal.keyID != id }
        return rec
    }

    /// Disables a user: its sessions end, in the database and in this cache.
    public func disableUser(named name: String) async throws -> AuthGatewayAPI.User {
        let u = try await store.disableUser(named: name)
        sessions.withLock { $0 = $0.filter { $0.value.principal.userID != u.id } }
        keys = keys.filter { $0.value.principal.userID != u.id }
        return u
    }

    /// Number of cached sessions (tests, metrics).
    public var cachedSessionCount: Int { sessions.withLock { $0.count } }

    private func sweep(_ now: Date) {
        sessions.withLock { $0 = $0.filter { $0.value.expiresAt > now } }
        let store = self.store
        Task { try? await store.deleteExpiredSessions(now: now) }
    }
}

extension Principal {
    /// As the identity passed to services.
    public var identity: Identity { Identity(userID: String(userID), name: name, roles: roles) }
}
