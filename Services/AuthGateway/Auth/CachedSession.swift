import Foundation

/// A session in the `Authenticator`'s cache: whose it is, when it ends, and when the
/// database last confirmed it.
struct CachedSession {
    /// Whose session it is.
    var principal: Principal
    /// When it ends.
    var expiresAt: Date
    /// When the database last confirmed it (re-read after `revalidateAfter`).
    var checkedAt: Date
}
