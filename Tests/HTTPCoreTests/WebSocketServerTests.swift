import Foundation
import Synchronization
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif
@testable import HTTPCore

/// A raw client speaking WebSocket byte by byte (blocking; run it off the pool): it sends
/// exact frames, including broken ones, and reads the server's frames.
final class RawWebSocketPeer: @unchecked Sendable {
    let raw: RawClient
    private var parser = WebSocketFrameParser(expectsMasked: false, maxPayload: 64 << 20)
    /// The server's 101 head.
    private(set) var head = ""

    init(port: Int, path: String = "/", extraHeaders: String = "") throws {
        raw = try RawClient(port: port)
        raw.send("GET \(path) HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\(extraHeaders)\r\n")
        var got: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ParsedResponse.find(got, [13, 10, 13, 10], from: 0) == nil {
            let n = recv(raw.fd, &buffer, 1, 0)  // one byte at a time: frames after the head stay unread
            if n <= 0 { break }
            got.append(buffer[0])
        }
        head = String(decoding: got, as: UTF8.self)
    }

    func send(_ frame: WebSocketFrame) {
        var masked = frame
        if masked.maskKey == nil { masked.maskKey = 0x5A5A_A5A5 }
        raw.send(WebSocketFrameWriter.encode(masked))
    }

    /// The next frame from the server; nil when the connection ended first.
    func readFrame() -> WebSocketFrame? {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let frame = try? parser.nextFrame() { return frame }
            let n = recv(raw.fd, &buffer, buffer.count, 0)
            if n <= 0 { return nil }
            parser.append(Array(buffer[0..<n]))
        }
    }

    /// The close frame the server sends (skipping others): its code and reason.
    func readClose() -> (WebSocketCloseCode?, String)? {
        while let frame = readFrame() {
            if frame.opcode == .close, case .close(let code, let reason)? = try? WebSocketMessageAssembler.closeEvent(frame.payload) {
                return (code, reason)
            }
        }
        return nil
    }
}

/// Our WebSocket server over real sockets: a raw peer for exact bytes and violations,
/// and our own client.
@Suite struct WebSocketServerTests {
    /// An echo server; a text `close:<code>` makes it close with that code.
    static func echoServer(maxMessage: Int = 1 << 20) throws -> TestServer {
        var configuration = WebSocketConfiguration()
        configuration.maxMessageBytes = maxMessage
        configuration.subprotocols = ["chat.v2", "chat.v1"]
        let settings = configuration
        return try TestServer { request in
            HTTPResponse.webSocketOrRefusal(upgrading: request, configuration: settings) { socket in
                for await message in socket.messages {
                    if case .text(let text) = message, text.hasPrefix("close:"), let code = UInt16(text.dropFirst(6)) {
                        await socket.close(code: WebSocketCloseCode(code), reason: "as asked")
                        return
                    }
                    switch message {
                    case .text(let text): try await socket.send(text: text)
                    case .binary(let bytes): try await socket.send(binary: bytes)
                    }
                }
            }
        }
    }

    @Test func handshakeAnswerIsExact() async throws {
        let server = try Self.echoServer()
        let head = await TestSupport.blocking { try? RawWebSocketPeer(port: server.port, extraHeaders: "Sec-WebSocket-Protocol: chat.v1, chat.v2\r\n").head }
        let lines = (head ?? "").components(separatedBy: "\r\n")
        #expect(lines.first == "HTTP/1.1 101 Switching Protocols")
        #expect(lines.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
        #expect(lines.contains("Upgrade: websocket"))
        #expect(lines.contains("Connection: Upgrade"))
        #expect(lines.contains("Sec-WebSocket-Protocol: chat.v2"))
        #expect(!lines.contains { $0.lowercased().hasPrefix("content-length") || $0.lowercased().hasPrefix("transfer-encoding") })
        await server.stop()
    }

    @Test func wrongVersionIs426NamingVersion13() async throws {
        let server = try Self.echoServer()
        let response = await TestSupport.blocking { () -> ParsedResponse? in
            guard let raw = try? RawClient(port: server.port) else { return nil }
            raw.send("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n")
            return raw.readResponse()
        }
        #expect(response?.status == 426)
        #expect(response?.header("Sec-WebSocket-Version") == "13")
        await server.stop()
    }

    @Test func pingsAreAnsweredAlsoBetweenFragments() async throws {
        let server = try Self.echoServer()
        let frames = await TestSupport.blocking { () -> [WebSocketFrame] in
            guard let peer = try? RawWebSocketPeer(port: server.port) else { return [] }
            peer.send(WebSocketFrame(opcode: .ping, payload: Array("are you there".utf8)))
            peer.send(WebSocketFrame(fin: false, opcode: .text, payload: Array("frag".utf8)))
            peer.send(WebSocketFrame(opcode: .ping, payload: [1, 2, 3]))
            peer.send(WebSocketFrame(fin: true, opcode: .continuation, payload: Array("mented".utf8)))
            var got: [WebSocketFrame] = []
            for _ in 0..<3 { if let frame = peer.readFrame() { got.append(frame) } }
            peer.send(WebSocketFrame(opcode: .close, payload: [0x03, 0xE8]))
            while let frame = peer.readFrame() { got.append(frame) }
            return got
        }
        #expect(frames == [WebSocketFrame(opcode: .pong, payload: Array("are you there".utf8)),
                           WebSocketFrame(opcode: .pong, payload: [1, 2, 3]),
                           WebSocketFrame(opcode: .text, payload: Array("fragmented".utf8)),
                           WebSocketFrame(opcode: .close, payload: [0x03, 0xE8])])
        await server.stop()
    }

    /// Each violation is answered with a close frame carrying its code, then the server
    /// closes the connection.
    @Test(arguments: [
        ("unmasked frame", [0x81, 0x02, 0x68, 0x69] as [UInt8], WebSocketCloseCode.protocolError),
        ("reserved bit", [0xC1, 0x80, 1, 2, 3, 4], .protocolError),
        ("reserved opcode", [0x83, 0x80, 1, 2, 3, 4], .protocolError),
        ("stray continuation", WebSocketFrameWriter.encode(WebSocketFrame(opcode: .continuation, maskKey: 7, payload: [1])), .protocolError),
        ("long ping", WebSocketFrameWriter.encode(WebSocketFrame(opcode: .ping, maskKey: 7, payload: [UInt8](repeating: 0, count: 126))), .protocolError),
        ("invalid close code", WebSocketFrameWriter.encode(WebSocketFrame(opcode: .close, maskKey: 7, payload: [0x03, 0xED])), .protocolError),
        ("invalid UTF-8", WebSocketFrameWriter.encode(WebSocketFrame(opcode: .text, maskKey: 7, payload: [0x61, 0xED, 0xA0, 0x80])), .invalidPayload),
        ("oversize", WebSocketFrameWriter.encode(WebSocketFrame(opcode: .binary, maskKey: 7, payload: [UInt8](repeating: 1, count: 2000))), .messageTooBig),
    ])
    func violationsCloseWithTheirCode(_ name: String, _ bytes: [UInt8], _ code: WebSocketCloseCode) async throws {
        let server = try Self.echoServer(maxMessage: 1024)
        let (close, ended) = await TestSupport.blocking { () -> ((WebSocketCloseCode?, String)?, Bool) in
            guard let peer = try? RawWebSocketPeer(port: server.port) else { return (nil, false) }
            peer.raw.send(bytes)
            let close = peer.readClose()
            peer.send(WebSocketFrame(opcode: .close, payload: WebSocketFrameWriter.closePayload(code: close?.0, reason: "")))
            return (close, peer.readFrame() == nil)
        }
        #expect(close?.0 == code, "\(name)")
        #expect(ended, "\(name): the server closes the connection")
        await server.stop()
    }

    @Test func ourClientEchoesAndFragments() async throws {
        let server = try Self.echoServer(maxMessage: 4 << 20)
        let client = HTTPClient(configuration: .testing())
        var configuration = WebSocketConfiguration()
        configuration.subprotocols = ["chat.v1"]
        let socket = try await WebSocketClient.connect("ws://127.0.0.1:\(server.port)/echo", configuration: configuration, using: client)
        #expect(socket.subprotocol == "chat.v1")
        var messages = socket.messages.makeAsyncIterator()
        for size in [0, 1, 125, 126, 65535, 65536, 3 << 20] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 13) }
            try await socket.send(binary: bytes)
            #expect(await messages.next() == .binary(bytes), "binary \(size)")
            let text = String(repeating: "é", count: size / 2)
            try await socket.send(text: text, fragmentSize: 1000)  // fragments split characters
            #expect(await messages.next() == .text(text), "text \(size)")
        }
        try await socket.ping(Array("hi".utf8))
        try await socket.send(text: "close:4321")
        #expect(await messages.next() == nil)
        #expect(socket.closeCode == WebSocketCloseCode(4321))
        #expect(socket.closeReason == "as asked")
        await #expect(throws: WebSocketClosedError.self) { try await socket.send(text: "late") }
        await client.shutdown()
        await server.stop()
    }

    @Test func clientCloseCodeReachesTheServer() async throws {
        let seen = ClosedCodes()
        let server = try TestServer { request in
            HTTPResponse.webSocketOrRefusal(upgrading: request) { socket in
                for await _ in socket.messages {}
                seen.record(socket.closeCode, socket.closeReason)
            }
        }
        let client = HTTPClient(configuration: .testing())
        let socket = try await WebSocketClient.connect("ws://127.0.0.1:\(server.port)/", using: client)
        await socket.close(code: .goingAway, reason: "navigating away")
        #expect(socket.closeCode == .goingAway)  // echoed by the server
        let first = await seen.first()
        #expect(first?.0 == .goingAway && first?.1 == "navigating away")
        await client.shutdown()
        await server.stop()
    }

    /// A handler that does not read holds the reader back (bounded inbox); nothing is lost
    /// once it reads.
    @Test func slowHandlerLosesNothing() async throws {
        let gate = TestGate()
        let server = try TestServer { request in
            HTTPResponse.webSocketOrRefusal(upgrading: request) { socket in
                await gate.wait()
                var count = 0
                for await message in socket.messages {
                    guard case .binary(let bytes) = message, bytes.count == 100_000, bytes[0] == UInt8(count & 0xFF) else {
                        try await socket.send(text: "bad message \(count)")
                        return
                    }
                    count += 1
                    if count == 100 { try await socket.send(text: "got \(count)") }
                }
            }
        }
        let client = HTTPClient(configuration: .testing())
        let socket = try await WebSocketClient.connect("ws://127.0.0.1:\(server.port)/", using: client)
        let sender = Task {
            for index in 0..<100 { try await socket.send(binary: [UInt8](repeating: UInt8(index & 0xFF), count: 100_000)) }
        }
        gate.open()
        try await sender.value
        var messages = socket.messages.makeAsyncIterator()
        #expect(await messages.next() == .text("got 100"))
        await socket.close()
        await client.shutdown()
        await server.stop()
    }
}

/// The close codes a server handler saw.
final class ClosedCodes: Sendable {
    private let codes = Mutex<[(WebSocketCloseCode?, String)]>([])
    func record(_ code: WebSocketCloseCode?, _ reason: String) { codes.withLock { $0.append((code, reason)) } }
    func first() async -> (WebSocketCloseCode?, String)? {
        _ = await eventually(polling: .milliseconds(10)) { codes.withLock { !$0.isEmpty } }
        return codes.withLock { $0.first }
    }
}

