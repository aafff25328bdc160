import Storage

/// Every SQL statement of `DatabaseBlobStore`, named (portable: the same text on SQLite and
/// PostgreSQL). Tables are described in `Schema`.
enum Queries {
    /// A user's usage: bytes, files, directories.
    static let usage = SQLQuery("SELECT bytes, files, directories FROM blob_usage WHERE user_id = ?")
    /// Stores a user's usage.
    static let putUsage = SQLQuery("""
        INSERT INTO blob_usage (user_id, bytes, files, directories) VALUES (?, ?, ?, ?)
        ON CONFLICT (user_id) DO UPDATE SET bytes = excluded.bytes, files = excluded.files, directories = excluded.directories
        """)
    /// A stored file's size.
    static let fileSize = SQLQuery("SELECT size FROM blob_file WHERE user_id = ? AND path = ?")
    /// A stored file's bytes.
    static let fileBytes = SQLQuery("SELECT bytes FROM blob_file WHERE user_id = ? AND path = ?")
    /// Stores or replaces a file.
    static let putFile = SQLQuery("""
        INSERT INTO blob_file (user_id, path, bytes, size) VALUES (?, ?, ?, ?)
        ON CONFLICT (user_id, path) DO UPDATE SET bytes = excluded.bytes, size = excluded.size
        """)
    /// Whether a directory exists.
    static let directory = SQLQuery("SELECT 1 FROM blob_directory WHERE user_id = ? AND path = ?")
    /// Records a directory.
    static let putDirectory = SQLQuery("INSERT INTO blob_directory (user_id, path) VALUES (?, ?)")
}
