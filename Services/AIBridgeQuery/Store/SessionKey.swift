/// What identifies a session: its session id and its initiator.
struct SessionKey: Hashable {
    /// The initiator.
    var initiatorID: String
    /// The derived session id.
    var sessionID: String
}
