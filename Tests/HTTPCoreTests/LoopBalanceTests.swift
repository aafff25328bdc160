import Synchronization
import Testing
import TestSupport
@testable import HTTPCore

@Suite("Connections spread over the loops")
struct LoopBalanceTests {
    /// A burst of connections accepted by whichever loop woke up is still served by
    /// every loop of the group, evenly (the least loaded loop takes each one).
    @Test func aBurstOfConnectionsIsSpreadEvenly() async throws {
        let group = EventLoopGroup(count: 2)
        let served = Mutex<[String: Int]>([:])
        let server = HTTPServer(configuration: .testing(), group: group,
                                responder: ClosureResponder { request, sink in
            // One entry per connection (its peer address) with the loop that served it.
            served.withLock { $0[request.remoteAddress] = sink.loop.index }
            sink.send(.text("loop \(sink.loop.index)"))
        })
        try server.start()
        // Connect all first (one burst in the listen queue), then send on each.
        let clients = try (0..<10).map { _ in try RawClient(port: server.port) }
        for c in clients { await c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n") }
        for c in clients { #expect(await c.readResponse()?.text.hasPrefix("loop ") == true) }
        let perLoop = served.withLock { s in (0..<2).map { i in s.values.filter { $0 == i }.count } }
        #expect(perLoop.reduce(0, +) == 10)
        #expect(perLoop.allSatisfy { $0 == 5 }, "connections per loop: \(perLoop)")
        await server.shutdown(gracePeriod: .seconds(1))
    }
}
