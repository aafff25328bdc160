import Storage

/// The predictor's tables when `DATABASE_URL` is set (PostgreSQL schema `predictor`, or a
/// SQLite file given as `sqlite:PATH`), as numbered migrations (never edit a shipped one):
/// the uploads of `DatabaseBlobStore`, so every replica serves every user's files and one
/// quota holds across replicas.
///
/// `blob_file`: each stored file by user and `<workspace>/<path>`, with its bytes and size.
/// `blob_directory`: every directory below a user's own those files imply (workspaces
/// included), as `FileBlobStore` counts them on disk. `blob_usage`: each user's bytes,
/// files and directories, kept in the upload's transaction (the quota is checked against
/// it; on PostgreSQL two replicas' concurrent uploads of one user conflict on this row and
/// one is retried on the other's total).
enum Schema {
    /// The numbered schema migrations.
    static let migrations: [Migration] = [
        Migration(version: 1, name: "uploads", sqlite: """
            CREATE TABLE blob_file (
                user_id TEXT NOT NULL,
                path TEXT NOT NULL,
                bytes BLOB NOT NULL,
                size INTEGER NOT NULL,
                PRIMARY KEY (user_id, path)
            ) WITHOUT ROWID;
            CREATE TABLE blob_directory (
                user_id TEXT NOT NULL,
                path TEXT NOT NULL,
                PRIMARY KEY (user_id, path)
            ) WITHOUT ROWID;
            CREATE TABLE blob_usage (
                user_id TEXT PRIMARY KEY,
                bytes INTEGER NOT NULL,
                files INTEGER NOT NULL,
                directories INTEGER NOT NULL
            ) WITHOUT ROWID;
            """, postgres: """
            CREATE TABLE blob_file (
                user_id TEXT NOT NULL,
                path TEXT NOT NULL,
                bytes BYTEA NOT NULL,
                size BIGINT NOT NULL,
                PRIMARY KEY (user_id, path)
            );
            CREATE TABLE blob_directory (
                user_id TEXT NOT NULL,
                path TEXT NOT NULL,
                PRIMARY KEY (user_id, path)
            );
            CREATE TABLE blob_usage (
                user_id TEXT PRIMARY KEY,
                bytes BIGINT NOT NULL,
                files BIGINT NOT NULL,
                directories BIGINT NOT NULL
            );
            """),
    ]
}
