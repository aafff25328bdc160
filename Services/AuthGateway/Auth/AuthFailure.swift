/// Why a credential was refused (rendered as 401/403 by the HTTP layer).
public enum AuthFailure: Error, Equatable {
    /// No credentials at all (401).
    case missing
    /// An unknown, revoked or malformed API key (403).
    case invalidKey
    /// An unknown or expired session (403).
    case invalidSession
}
