import Foundation
import JSON
import Storage

extension OrchestratorStore {
    /// Queues a document for compute, inside the caller's transaction.
    static func enqueue<Document: StoredDocument>(_ conn: any SQLConnection, path: String, document type: Document.Type,
                                                  uuid: String) throws {
        guard let document = try document(conn, type, uuid: uuid) else { return }
        let now = Date().timeIntervalSince1970
        try conn.run(Queries.enqueue, path, String(decoding: try JSONWriter.encode(document), as: UTF8.self), now, now)
    }

    /// Items due now, oldest first.
    func dueOutbox(limit: Int) async throws -> [OutboxItem] {
        let now = Date().timeIntervalSince1970
        return try await db.read { conn in
            try conn.query(Queries.dueOutbox, now, limit).map {
                OutboxItem(id: try $0.get(0), path: try $0.get(1), payload: try $0.get(2), attempts: try $0.get(3))
            }
        }
    }

    /// Removes a delivered item.
    func delivered(_ id: Int64) async throws {
        try await db.write { try $0.run(Queries.deleteOutbox, id) }
    }

    /// Schedules another attempt.
    func retryLater(_ id: Int64, attempts: Int, at time: Double, error: String) async throws {
        try await db.write { try $0.run(Queries.retryOutbox, attempts, time, error, id) }
    }

    /// When the next item falls due (Unix seconds), or nil when the outbox is empty.
    func nextOutboxDue() async throws -> Double? {
        try await db.read { try $0.queryOne(Queries.nextOutboxDue)?.get(0, as: Double?.self) ?? nil }
    }

    /// Items still waiting (tests, metrics).
    public func outboxCount() async throws -> Int {
        try await db.read { try $0.queryOne(Queries.outboxCount)?.get(0) ?? 0 }
    }
}
