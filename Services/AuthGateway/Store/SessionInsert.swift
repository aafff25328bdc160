/// What storing a new session did (`GatewayStore.createSession`).
public enum SessionInsert: Sendable, Equatable {
    /// Stored; `ended` are the digests (hex) of the key's oldest sessions that it replaced
    /// under the per-key cap.
    case stored(ended: [String])
    /// Not stored: the key was revoked or its user disabled since the key was checked.
    case keyInactive
}
