/// What a `SQLDatabase.listen(channel:)` stream delivers.
public enum DatabaseNotification: Sendable, Hashable {
    /// A notification sent on the channel by a committed write (`notify(channel:payload:)`),
    /// with its payload.
    case payload(String)
    /// Notifications may have been missed (PostgreSQL: the listening connection was lost and
    /// has been re-established): a listener that caches should drop everything it cached.
    case possiblyMissed
}
