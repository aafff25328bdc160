import Foundation

/// An API key in the `Authenticator`'s cache: whose it is, when the database last
/// confirmed it, and when its use was last recorded.
struct CachedKey {
    /// Whose key it is.
    var principal: Principal
    /// When the database last confirmed it (re-read after `revalidateAfter`).
    var checkedAt: Date
    /// When its use was last written to the database (at most once a minute).
    var touchedAt: Date
}
