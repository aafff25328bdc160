/// Settings for `SQLiteDatabase`.
public struct SQLiteOptions: Sendable {
    /// SQLite's `PRAGMA synchronous` level.
    public enum Synchronous: String, Sendable {
        /// No syncs: fast, a power loss may corrupt the database. Tests only.
        case off = "OFF"
        /// WAL default: durable across process crashes (kill -9); a power loss may lose the
        /// last transactions but never corrupts.
        case normal = "NORMAL"
        /// Sync the WAL on every commit: committed transactions survive power loss.
        case full = "FULL"
    }

    /// Durability level; `.normal` by default, `.full` where data must survive power loss.
    public var synchronous: Synchronous
    /// Number of read-only connections in the pool (0 routes reads to the writer).
    /// In-memory databases always route reads to the writer.
    public var readerCount: Int
    /// How long a connection waits on another's lock before `SQLITE_BUSY`, in milliseconds.
    public var busyTimeoutMilliseconds: Int
    /// `PRAGMA foreign_keys`; on by default.
    public var foreignKeys: Bool
    /// Prepared statements kept per connection.
    public var statementCacheCapacity: Int

    /// Creates options; the defaults suit a service's database file.
    public init(synchronous: Synchronous = .normal, readerCount: Int = 4, busyTimeoutMilliseconds: Int = 5_000,
                foreignKeys: Bool = true, statementCacheCapacity: Int = 256) {
        self.synchronous = synchronous
        self.readerCount = readerCount
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.foreignKeys = foreignKeys
        self.statementCacheCapacity = statementCacheCapacity
    }
}
