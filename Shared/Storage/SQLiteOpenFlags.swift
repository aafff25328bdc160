import CSQLite

/// Flags for `sqlite3_open_v2`, as an option set.
public struct SQLiteOpenFlags: OptionSet, Sendable {
    /// The raw `SQLITE_OPEN_*` bits.
    public let rawValue: Int32

    /// Creates flags from raw `SQLITE_OPEN_*` bits.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `SQLITE_OPEN_READONLY`.
    public static let readOnly = SQLiteOpenFlags(rawValue: SQLITE_OPEN_READONLY)
    /// `SQLITE_OPEN_READWRITE`.
    public static let readWrite = SQLiteOpenFlags(rawValue: SQLITE_OPEN_READWRITE)
    /// `SQLITE_OPEN_CREATE` (with `.readWrite`: create the file if missing).
    public static let create = SQLiteOpenFlags(rawValue: SQLITE_OPEN_CREATE)
    /// `SQLITE_OPEN_URI`: interpret `file:` URIs.
    public static let uri = SQLiteOpenFlags(rawValue: SQLITE_OPEN_URI)
    /// `SQLITE_OPEN_NOMUTEX`: multi-thread mode; the caller guarantees one thread at a time.
    public static let noMutex = SQLiteOpenFlags(rawValue: SQLITE_OPEN_NOMUTEX)
    /// `SQLITE_OPEN_FULLMUTEX`: serialized mode.
    public static let fullMutex = SQLiteOpenFlags(rawValue: SQLITE_OPEN_FULLMUTEX)
    /// `SQLITE_OPEN_SHAREDCACHE`.
    public static let sharedCache = SQLiteOpenFlags(rawValue: SQLITE_OPEN_SHAREDCACHE)
    /// `SQLITE_OPEN_PRIVATECACHE`.
    public static let privateCache = SQLiteOpenFlags(rawValue: SQLITE_OPEN_PRIVATECACHE)
    /// `SQLITE_OPEN_MEMORY`: the database is in memory (with `.uri`, the name is a key).
    public static let memory = SQLiteOpenFlags(rawValue: SQLITE_OPEN_MEMORY)

    /// The default for a writer: read-write, create, URIs, no SQLite mutex.
    public static let readWriteCreate: SQLiteOpenFlags = [.readWrite, .create, .uri, .noMutex]
    /// The default for a pooled reader: read-only, URIs, no SQLite mutex.
    public static let readOnlyPooled: SQLiteOpenFlags = [.readOnly, .uri, .noMutex]
}
