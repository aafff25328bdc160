import Contracts
import Foundation
import JSON
import Storage

/// Progress across replicas sharing one database (`DATABASE_URL=postgres://…`): a job runs
/// on the replica that took its request, while its `/ws` follower may be connected to
/// another. Each message a replica publishes is announced on channel `task_progress`
/// (`NOTIFY` as a statement of its own: one round trip) and every other replica hands it to its own hub
/// (`ProgressRelayListener`). A stage longer than `maxStageBytes` is cut (a notification's
/// payload is at most 8000 bytes); an announcement that cannot be made is dropped (the
/// job's own replica still has it).
struct ProgressRelay: Sendable {
    /// The database carrying the announcements.
    let db: any SQLDatabase
    /// This process, told apart from the other replicas.
    let origin = UUID().uuidString

    /// The notification channel.
    static let channel = "task_progress"
    /// The longest stage announced (bytes of UTF-8, cut at a character).
    static let maxStageBytes = 2_000

    /// Announces `message` of `owner`'s job to the other replicas.
    func announce(_ message: TaskManagerAPI.ProgressMessage, owner: String) async {
        var cut = message
        var bytes = 0
        let end = cut.stage.firstIndex { character in
            bytes += character.utf8.count
            return bytes > Self.maxStageBytes
        } ?? cut.stage.endIndex
        cut.stage = String(cut.stage[..<end])
        guard let payload = try? JSONWriter.encode(RelayedProgress(origin: origin, owner: owner, message: cut)) else { return }
        let text = String(decoding: payload, as: UTF8.self)
        _ = try? await db.writeStatement { connection in try connection.notify(channel: Self.channel, payload: text) }
    }

    /// The messages the other replicas announce from now on (this one's own left out).
    func announcements() async throws -> AsyncStream<RelayedProgress> {
        let notifications = try await db.listen(channel: Self.channel)
        let origin = self.origin
        return AsyncStream { continuation in
            let task = Task {
                for await notification in notifications {
                    guard case .payload(let text) = notification,
                          let relayed = try? StrictJSONDecoder().decode(RelayedProgress.self, from: Array(text.utf8)),
                          relayed.origin != origin else { continue }
                    continuation.yield(relayed)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
