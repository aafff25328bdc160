import Testing
@testable import HTTPCore

@Suite("Header strings reused across a connection's messages")
struct HeaderReuseTests {
    func parse(_ text: String, previous: HTTPHeaders?) throws -> HTTPHeaders {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { p in
            try parseFieldLines(p, from: 0, to: p.count, limits: HTTPLimits(), previous: previous)
        }
    }

    @Test func equalFieldsAreReusedAndChangedOnesAreNot() throws {
        let first = try parse("Host: a.example\r\nSession-ID: abcdefghijklmnopqrstuvwxyz012345\r\nX-N: 1\r\n", previous: nil)
        // Same length, one byte different; a field moved; a new field at the end.
        let second = try parse("Host: a.example\r\nSession-ID: abcdefghijklmnopqrstuvwxyz012346\r\nX-M: 1\r\nX-Extra: yes\r\n", previous: first)
        #expect(second.fields.map(\.name) == ["Host", "Session-ID", "X-M", "X-Extra"])
        #expect(second["Session-ID"] == "abcdefghijklmnopqrstuvwxyz012346")
        #expect(second["X-M"] == "1")
        #expect(second["X-N"] == nil)
        #expect(second["X-Extra"] == "yes")
        // Fewer fields than before, and an empty value.
        let third = try parse("Host: b.example\r\nX-Empty: \r\n", previous: second)
        #expect(third.fields.map(\.name) == ["Host", "X-Empty"])
        #expect(third["Host"] == "b.example")
        #expect(third["X-Empty"] == "")
        // The reused strings are the previous ones (same storage), equal fields only.
        let fourth = try parse("Host: b.example\r\nX-Empty: \r\n", previous: third)
        #expect(fourth.fields.map(\.value) == third.fields.map(\.value))
    }

    /// Handed over as the only reference, the previous list's storage is refilled in
    /// place; while something else still holds it, it is copied first and stays as it was.
    @Test func aPreviousListNoLongerHeldIsRefilledInPlace() throws {
        func parseTaking(_ text: String, _ previous: inout HTTPHeaders?) throws -> HTTPHeaders {
            try Array(text.utf8).withUnsafeBufferPointer { p in
                try parseFieldLines(p, from: 0, to: p.count, limits: HTTPLimits(), previous: previous.take())
            }
        }
        func storage(_ h: HTTPHeaders) -> UnsafeRawPointer? { h.fields.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } }
        var previous: HTTPHeaders? = try parse("Host: a\r\nX-Id: 1\r\nX-Old: gone\r\n", previous: nil)
        let before = storage(previous!)
        let next = try parseTaking("Host: a\r\nX-Id: 2\r\n", &previous)
        #expect(storage(next) == before)
        #expect(next.fields.map { "\($0.name)=\($0.value)" } == ["Host=a", "X-Id=2"])
        // Still held elsewhere (a request in flight): copied, and the held one unchanged.
        let held = next
        var handed: HTTPHeaders? = next
        let third = try parseTaking("Host: b\r\nX-Id: 3\r\nX-New: 1\r\n", &handed)
        #expect(third.fields.map { "\($0.name)=\($0.value)" } == ["Host=b", "X-Id=3", "X-New=1"])
        #expect(held.fields.map { "\($0.name)=\($0.value)" } == ["Host=a", "X-Id=2"])
        #expect(storage(third) != storage(held))
    }

    @Test func keepAliveRequestsSeeTheirOwnHeaders() async throws {
        let server = try startServer { req in .text("\(req.target) \(req.headers["X-Id"] ?? "-") \(req.headers["Session-ID"] ?? "-")") }
        let client = try RawClient(port: server.port)
        for (target, id, sid) in [("/a", "1", "aaaa"), ("/a", "1", "aaab"), ("/b", "22", "aaab"), ("/ab?x=1", "3", "")] {
            await client.send("GET \(target) HTTP/1.1\r\nHost: x\r\nX-Id: \(id)\r\nSession-ID: \(sid)\r\n\r\n")
            #expect(await client.readResponse()?.text == "\(target) \(id) \(sid)")
        }
        await server.shutdown(gracePeriod: .seconds(1))
    }
}
