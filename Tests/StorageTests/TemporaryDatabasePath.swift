import Foundation

/// A unique database file path in the temp directory; `remove()` deletes it with its
/// `-wal` and `-shm` companions.
struct TemporaryDatabasePath {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("storage-test-\(UUID().uuidString).sqlite").path
    }

    func remove() {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }
}
