import Synchronization

/// Received messages waiting for the handler: one producer (the connection's reader),
/// one consumer (`WebSocket.messages`). The producer is suspended while more than
/// `highWater` bytes wait, so a handler that does not read stops the reading from the
/// socket (back-pressure reaches the peer through TCP).
final class WebSocketInbox: Sendable {
    private struct State {
        var queue: [WebSocketMessage] = []
        var head = 0
        var bytes = 0
        var finished = false
        var consumer: CheckedContinuation<WebSocketMessage?, Never>?
        var producer: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())
    private let highWater: Int

    init(highWater: Int) { self.highWater = highWater }

    /// Adds a message; returns once fewer than `highWater` bytes wait (or the inbox ended).
    func push(_ message: WebSocketMessage) async {
        let delivered = state.withLock { s -> CheckedContinuation<WebSocketMessage?, Never>? in
            if s.finished { return nil }
            if let c = s.consumer {
                s.consumer = nil
                return c
            }
            s.queue.append(message)
            s.bytes += message.byteCount
            return nil
        }
        if let delivered {
            delivered.resume(returning: message)
            return
        }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let wait = state.withLock { s -> Bool in
                if s.finished || s.bytes <= highWater { return false }
                s.producer = c
                return true
            }
            if !wait { c.resume() }
        }
    }

    /// The next message, nil once the inbox ended and is empty.
    func next() async -> WebSocketMessage? {
        await withCheckedContinuation { (c: CheckedContinuation<WebSocketMessage?, Never>) in
            let (ready, wake) = state.withLock { s -> (WebSocketMessage??, CheckedContinuation<Void, Never>?) in
                if s.head < s.queue.count {
                    let message = s.queue[s.head]
                    s.head += 1
                    if s.head == s.queue.count { s.queue.removeAll(keepingCapacity: true); s.head = 0 }
                    s.bytes -= message.byteCount
                    var wake: CheckedContinuation<Void, Never>? = nil
                    if s.bytes <= highWater { wake = s.producer; s.producer = nil }
                    return (.some(message), wake)
                }
                if s.finished { return (.some(nil), nil) }
                s.consumer = c
                return (nil, nil)
            }
            wake?.resume()
            if let ready { c.resume(returning: ready) }
        }
    }

    /// No more messages will come: a waiting consumer gets nil after what is queued.
    func finish() {
        let (consumer, producer) = state.withLock { s -> (CheckedContinuation<WebSocketMessage?, Never>?, CheckedContinuation<Void, Never>?) in
            s.finished = true
            let c = s.consumer, p = s.producer
            s.consumer = nil
            s.producer = nil
            return (c, p)
        }
        consumer?.resume(returning: nil)
        producer?.resume()
    }
}
