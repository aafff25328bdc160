/// One queued push to compute.
struct OutboxItem: Sendable {
    /// Its row id.
    var id: Int64
    /// `/learn` or `/pred`.
    var path: String
    /// The document pushed.
    var payload: String
    /// Failed attempts so far.
    var attempts: Int
}
