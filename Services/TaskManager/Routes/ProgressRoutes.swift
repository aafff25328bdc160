import Contracts
import HTTPCore
import JSON
import ServiceKit

extension TaskManagerRoutes {
    /// `/ws`: the caller's job progress as `ProgressMessage` texts. Jobs are followed by
    /// `?jobId=<id>` (repeatable) and by sending `{"subscribe": "<id>"}` (and
    /// `{"unsubscribe": "<id>"}`); only the caller's own jobs are seen. A malformed message
    /// is answered `{"detail": "..."}` and the connection stays open.
    func progress(_ request: Request, _ socket: WebSocket) async {
        let owner = Self.owner(request)
        let (subscriber, stream) = await hub.connect()
        for (name, value) in request.queryItems where name == "jobId" && JobID.isValid(value) {
            await hub.subscribe(subscriber, to: JobKey(owner: owner, jobID: value))
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await message in stream {
                    guard let bytes = try? JSONWriter.encode(message) else { continue }
                    try? await socket.send(text: String(decoding: bytes, as: UTF8.self))
                }
            }
            group.addTask {
                for await message in socket.messages {
                    guard case .text(let text) = message else { continue }
                    if let refusal = await self.handleSubscription(text, subscriber: subscriber, owner: owner),
                       let bytes = try? JSONWriter.encode(DetailError(detail: refusal)) {
                        try? await socket.send(text: String(decoding: bytes, as: UTF8.self))
                    }
                }
                await hub.disconnect(subscriber)
            }
        }
    }

    /// Applies a client message; the refusal's text when it is not a valid one.
    func handleSubscription(_ text: String, subscriber: Int, owner: String) async -> String? {
        guard let message = try? JSON.decode(TaskManagerAPI.SubscriptionMessage.self, from: Array(text.utf8)),
              message.subscribe != nil || message.unsubscribe != nil else {
            return "expected {\"subscribe\": \"<jobId>\"} or {\"unsubscribe\": \"<jobId>\"}"
        }
        for id in [message.subscribe, message.unsubscribe].compactMap({ $0 }) where !JobID.isValid(id) {
            return "jobId must be 1-128 characters of [A-Za-z0-9._-]"
        }
        if let id = message.subscribe { await hub.subscribe(subscriber, to: JobKey(owner: owner, jobID: id)) }
        if let id = message.unsubscribe { await hub.unsubscribe(subscriber, from: JobKey(owner: owner, jobID: id)) }
        return nil
    }
}
