import ServiceKit

/// Stops a session's kernel when its dataset changes on any replica (PostgreSQL
/// `LISTEN/NOTIFY`; on SQLite the one process's own changes), so the next run loads the new
/// dataset; every kernel when changes may have been missed.
struct DatasetChangeListener: BackgroundService {
    /// The store announcing changes.
    let store: CodeRunnerStore
    /// The kernels.
    let pool: KernelPool

    var name: String { "dataset-change-listener" }

    func run() async throws {
        for await session in try await store.datasetChanges() {
            if Task.isCancelled { return }
            if let session {
                await pool.stop(session: session)
            } else {
                await pool.stopAll()
            }
        }
    }
}
