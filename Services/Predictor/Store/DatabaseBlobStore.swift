import Foundation
import ServiceKit
import Storage

/// The blob store in the database (`DATABASE_URL` set): uploads in `blob_file`, keyed by
/// user and `<workspace>/<path>`, with the directories they imply and each user's usage
/// (see `Schema`), so any replica serves any user's files and `quota` holds across
/// replicas: an upload's plan, quota check and writes are one write transaction (on
/// PostgreSQL SERIALIZABLE: two replicas' concurrent uploads of one user conflict on the
/// usage row and one runs again on the other's total). Same rules as `FileBlobStore`: the
/// same path validation, the same clashes (a file where a directory is, or under a file),
/// the same usage counting, all or nothing.
public final class DatabaseBlobStore: BlobStore {
    /// The database.
    public let db: any SQLDatabase
    /// The most one user may keep.
    public let quota: BlobQuota

    /// A store over an open, migrated database.
    public init(db: any SQLDatabase, quota: BlobQuota = .unlimited) {
        self.db = db
        self.quota = quota
    }

    /// The PostgreSQL schema holding the tables.
    public static let postgresSchema = "predictor"

    /// Opens (and migrates) the store at `location`, with `poolSize` connections on
    /// PostgreSQL, in `schema` (tests use one of their own).
    public static func open(_ location: DatabaseLocation, quota: BlobQuota, poolSize: Int = 4,
                            schema: String = postgresSchema) async throws -> DatabaseBlobStore {
        DatabaseBlobStore(db: try await location.open(schema: schema, migrations: Schema.migrations,
                                                      postgresOptions: PostgresOptions(poolSize: poolSize, applicationName: "predictor")),
                          quota: quota)
    }

    /// Closes the database.
    public func close() async { await db.close() }

    /// Checks the paths and the quota, then stores every file (replacing older versions) in
    /// one transaction; a `BlobStoreError` stores nothing.
    public func put(user: String, workspace: String, files: [String: [UInt8]]) async throws {
        try UploadPaths.validateWorkspace(workspace)
        for path in files.keys {
            try UploadPaths.validate(path)
            try TemporaryFileName.refuseReserved(path)
        }
        let quota = self.quota
        try await db.write { conn in
            let current = try Self.usage(user: user, on: conn)
            var next = current
            var known: [String: Bool] = [:]  // directory key -> exists
            var missing: [String] = []
            var plan: [(key: String, bytes: [UInt8])] = []
            for path in files.keys.sorted() {
                guard let bytes = files[path] else { continue }
                let key = workspace + "/" + path
                if try conn.queryOne(Queries.directory, user, key) != nil { throw BlobStoreError.clash(path: path) }
                if let size = try conn.queryOne(Queries.fileSize, user, key)?.get(0, as: Int.self) {
                    next.bytes -= size
                    next.files -= 1
                }
                next.bytes += bytes.count
                next.files += 1
                var directory = Self.parent(of: key)
                while let name = directory, known[name] == nil {
                    if try conn.queryOne(Queries.directory, user, name) != nil {
                        known[name] = true
                        break
                    }
                    if try conn.queryOne(Queries.fileSize, user, name) != nil { throw BlobStoreError.clash(path: path) }
                    known[name] = false
                    missing.append(name)
                    directory = Self.parent(of: name)
                }
                plan.append((key, bytes))
            }
            next.directories += missing.count
            if let refusal = quota.exceeded(from: current, to: next) { throw refusal }
            for name in missing { try conn.run(Queries.putDirectory, user, name) }
            for file in plan { try conn.run(Queries.putFile, user, file.key, file.bytes, file.bytes.count) }
            try conn.run(Queries.putUsage, user, next.bytes, next.files, next.directories)
        }
    }

    /// The stored file's bytes, or nil when there is none.
    public func get(user: String, workspace: String, path: String) async throws -> [UInt8]? {
        try UploadPaths.validateWorkspace(workspace)
        try UploadPaths.validate(path)
        return try await db.read { conn in
            try conn.queryOne(Queries.fileBytes, user, workspace + "/" + path)?.get(0, as: [UInt8].self)
        }
    }

    /// The user's usage (zero before their first upload).
    public func usage(user: String) async throws -> BlobUsage {
        try await db.read { conn in try Self.usage(user: user, on: conn) }
    }

    static func usage(user: String, on conn: any SQLConnection) throws -> BlobUsage {
        guard let row = try conn.queryOne(Queries.usage, user) else { return BlobUsage() }
        return BlobUsage(bytes: try row.get(0), files: try row.get(1), directories: try row.get(2))
    }

    /// The directory key above `key` (`ws/a/b.py` → `ws/a`, `ws/a` → `ws`, `ws` → nil).
    static func parent(of key: String) -> String? {
        guard let slash = key.lastIndex(of: "/") else { return nil }
        return String(key[..<slash])
    }
}
