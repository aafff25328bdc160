import Foundation
import JSON
import Storage

extension OrchestratorStore {
    /// The notification channel a committed enqueue wakes every replica's pusher on.
    static let outboxChannel = "outbox"

    /// Queues a document for compute, inside the caller's transaction, and wakes the
    /// pushers (of every replica) when it commits.
    static func enqueue<Document: StoredDocument>(_ conn: any SQLConnection, path: String, document type: Document.Type,
                                                  uuid: String) throws {
        guard let document = try document(conn, type, uuid: uuid) else { return }
        let now = Date().timeIntervalSince1970
        try conn.run(Queries.enqueue, path, String(decoding: try JSONWriter.encode(document), as: UTF8.self), now, now)
        try conn.notify(channel: outboxChannel, payload: "")
    }

    /// Leases up to `limit` items due now, oldest first, to one delivery round for
    /// `seconds`: no other round (of this replica or another) gets them until they are
    /// delivered, retried later, or the lease ends (its holder died): then they are due again.
    func leaseOutbox(limit: Int, seconds: Double) async throws -> [OutboxItem] {
        let now = Date().timeIntervalSince1970
        let token = Self.newUUID()
        let items = try await db.writeStatement { conn in
            try conn.query(Queries.leaseOutbox, now + seconds, token, now, limit).map {
                OutboxItem(id: try $0.get(0), path: try $0.get(1), payload: try $0.get(2), attempts: try $0.get(3), lease: token)
            }
        }
        return items.sorted { $0.id < $1.id }
    }

    /// Removes a delivered item.
    func delivered(_ id: Int64) async throws {
        try await db.write { try $0.run(Queries.deleteOutbox, id) }
    }

    /// Schedules another attempt of an item this round still holds (after its lease ended
    /// and another round took it, that round decides).
    func retryLater(_ item: OutboxItem, attempts: Int, at time: Double, error: String) async throws {
        try await db.write { try $0.run(Queries.retryOutbox, attempts, time, error, item.id, item.lease) }
    }

    /// Makes an item this round still holds due now (a round that stops before pushing it).
    func releaseLease(_ item: OutboxItem) async throws {
        try await db.write { try $0.run(Queries.releaseOutbox, Date().timeIntervalSince1970, item.id, item.lease) }
    }

    /// When the next item falls due (Unix seconds; a leased one when its lease ends), or nil
    /// when the outbox is empty.
    func nextOutboxDue() async throws -> Double? {
        try await db.read { try $0.queryOne(Queries.nextOutboxDue)?.get(0, as: Double?.self) ?? nil }
    }

    /// Items still waiting (tests, metrics).
    public func outboxCount() async throws -> Int {
        try await db.read { try $0.queryOne(Queries.outboxCount)?.get(0) ?? 0 }
    }
}
