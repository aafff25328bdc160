import Foundation
import Orchestrator
import Storage
import TestSupport

/// A fresh PostgreSQL database for one orchestrator test: a schema of its own on
/// `TEST_DATABASE_URL` for in-process stores (`OrchestratorService.instance(schema:)`), or a
/// database of its own for the `orchestrator` binary, whose schema is always `orchestrator`
/// (`TestPostgresDatabase`). Nil for SQLite (the file in the test's `DATA_DIR`).
struct OrchestratorTestDatabase: Sendable {
    /// The `DATABASE_URL` to give the service.
    let url: String
    /// The schema its tables live in.
    let schema: String
    private let remover: @Sendable () -> Void

    /// A new database on `backend` (nil for SQLite).
    static func make(_ backend: TestBackend, forBinaries: Bool) throws -> OrchestratorTestDatabase? {
        guard backend == .postgres else { return nil }
        if forBinaries {
            let database = try TestPostgresDatabase()
            return OrchestratorTestDatabase(url: database.url, schema: OrchestratorStore.postgresSchema, remover: { database.remove() })
        }
        let location = try TestDatabaseLocation(.postgres)
        guard case .postgres(let url) = location.location else { return nil }
        return OrchestratorTestDatabase(url: url, schema: location.schema, remover: { location.remove() })
    }

    /// Drops it.
    func remove() { remover() }
}
