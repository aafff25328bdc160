/// One queued push to compute, leased to one delivery round.
struct OutboxItem: Sendable {
    /// Its row id.
    var id: Int64
    /// `/learn` or `/pred`.
    var path: String
    /// The document pushed.
    var payload: String
    /// Failed attempts so far.
    var attempts: Int
    /// The token of the lease this round holds on it.
    var lease: String
}
