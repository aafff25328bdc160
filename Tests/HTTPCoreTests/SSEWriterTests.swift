import Foundation
import Testing
import TestSupport
@testable import HTTPCore

/// The SSE writer: exact bytes, and each event sent on its own (one chunk, flushed).
@Suite struct SSEWriterTests {
    static func text(_ event: SSEEvent) throws -> String { String(decoding: try SSEWriter.encode(event), as: UTF8.self) }

    @Test func eventsAreSerialisedExactly() throws {
        #expect(try Self.text(SSEEvent(data: "hello")) == "data: hello\n\n")
        #expect(try Self.text(SSEEvent(event: "update", data: "x", id: "42", retry: 3000)) == "event: update\nid: 42\nretry: 3000\ndata: x\n\n")
        // Every line break form splits data into lines; empty lines are kept.
        #expect(try Self.text(SSEEvent(data: "a\nb\r\nc\rd")) == "data: a\ndata: b\ndata: c\ndata: d\n\n")
        #expect(try Self.text(SSEEvent(data: "")) == "data: \n\n")
        #expect(try Self.text(SSEEvent(data: "\n")) == "data: \ndata: \n\n")
        #expect(try Self.text(SSEEvent(data: "end\n\n")) == "data: end\ndata: \ndata: \n\n")
        #expect(try Self.text(SSEEvent(data: "ünïcödé ✓")) == "data: ünïcödé ✓\n\n")
        #expect(String(decoding: try SSEWriter.encodeComment("heartbeat"), as: UTF8.self) == ": heartbeat\n\n")
        #expect(String(decoding: try SSEWriter.encodeComment(""), as: UTF8.self) == ":\n\n")
    }

    @Test func fieldsThatWouldBreakTheStreamAreRefused() {
        #expect(throws: SSEFieldError(field: "event")) { try SSEWriter.encode(SSEEvent(event: "a\nb", data: "x")) }
        #expect(throws: SSEFieldError(field: "id")) { try SSEWriter.encode(SSEEvent(data: "x", id: "1\r2")) }
        #expect(throws: SSEFieldError(field: "id")) { try SSEWriter.encode(SSEEvent(data: "x", id: "1\u{0}")) }
        #expect(throws: SSEFieldError(field: "retry")) { try SSEWriter.encode(SSEEvent(data: "x", retry: -1)) }
        #expect(throws: SSEFieldError(field: "comment")) { try SSEWriter.encodeComment("two\nlines") }
    }

    /// What our client's parser reads back is what was sent.
    @Test func parserReadsBackWhatWasWritten() throws {
        let events = [SSEEvent(data: "one"), SSEEvent(event: "tick", data: "two\nlines", id: "7"),
                      SSEEvent(data: "three", id: "7", retry: 10)]
        var parser = SSEParser()
        var got: [SSEEvent] = []
        for event in events { got += parser.feed(try SSEWriter.encode(event)) }
        #expect(got == events)
    }

    /// Over the wire: the response head, and each event in a chunk of its own, sent
    /// while the handler still holds back the next one.
    @Test func eachEventIsOneChunkSentAtOnce() async throws {
        let gate = TestGate()
        let server = try TestServer { _ in
            HTTPResponse.eventStream { events in
                try await events.send(data: "first\nline", id: "1")
                await gate.wait()
                try await events.comment("still here")
                try await events.send(data: "second", event: "done")
            }
        }
        let raw = try RawClient(port: server.port)
        await raw.send("GET /events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        // The first event arrives before the gate opens.
        let early = await TestSupport.blocking { () -> [UInt8] in
            var got: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !String(decoding: got, as: UTF8.self).hasSuffix("data: line\n\n\r\n") {
                let n = recv(raw.fd, &buffer, buffer.count, 0)
                if n <= 0 { break }
                got += buffer[0..<n]
            }
            return got
        }
        #expect(String(decoding: early, as: UTF8.self).hasSuffix("\r\nid: 1\ndata: first\ndata: line\n\n\r\n"))
        gate.open()
        let rest = await TestSupport.blocking { raw.readAll().bytes }
        let text = String(decoding: early + rest, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let head = parts[0].components(separatedBy: "\r\n")
        #expect(head.first == "HTTP/1.1 200 OK")
        #expect(head.contains("Content-Type: text/event-stream"))
        #expect(head.contains("Cache-Control: no-cache"))
        #expect(head.contains("Transfer-Encoding: chunked"))
        // The chunked body, chunk by chunk: one per event (and per comment), then the end.
        let body = Array(parts.dropFirst().joined(separator: "\r\n\r\n").utf8)
        #expect(Self.chunks(body) == ["id: 1\ndata: first\ndata: line\n\n", ": still here\n\n", "event: done\ndata: second\n\n"])
        await server.stop()
    }

    @Test func heartbeatCommentsKeepAnIdleStreamAlive() async throws {
        let gate = TestGate()
        let server = try TestServer { _ in
            HTTPResponse.eventStream(heartbeat: .milliseconds(20)) { events in
                await gate.wait()
                try await events.send(data: "late")
            }
        }
        let client = HTTPClient(configuration: .testing())
        let response = try await client.get("http://127.0.0.1:\(server.port)/")
        var chunks = response.body.makeAsyncIterator()
        var got = ""
        // Heartbeats arrive while no event is sent; then the event.
        while !got.contains(": heartbeat\n\n"), let chunk = try await chunks.next() { got += String(decoding: chunk, as: UTF8.self) }
        #expect(got.hasPrefix(": heartbeat\n\n"))
        gate.open()
        while let chunk = try await chunks.next() { got += String(decoding: chunk, as: UTF8.self) }
        #expect(got.hasSuffix("data: late\n\n"))
        await client.shutdown()
        await server.stop()
    }

    /// The chunks of a chunked body, in order (the last, empty one left out).
    static func chunks(_ body: [UInt8]) -> [String] {
        var out: [String] = []
        var index = 0
        while let lineEnd = ParsedResponse.find(body, [13, 10], from: index) {
            guard let size = Int(String(decoding: body[index..<lineEnd], as: UTF8.self), radix: 16), size > 0,
                  lineEnd + 2 + size <= body.count else { break }
            out.append(String(decoding: body[(lineEnd + 2)..<(lineEnd + 2 + size)], as: UTF8.self))
            index = lineEnd + 2 + size + 2
        }
        return out
    }
}
