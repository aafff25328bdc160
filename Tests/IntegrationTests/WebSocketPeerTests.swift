import Foundation
import HTTPCore
import Synchronization
import Testing
import TestSupport

/// Python's `websockets` as a strict outside peer (`deploy/checks/websocket_check.py`):
/// its client against our echo server, and our client against its server. Sizes 1 B to
/// 16 MiB, text and binary, fragments, ping/pong, close codes both ways, 1009 for an
/// oversize message, 1007 for text that is not UTF-8.
@Suite struct WebSocketPeerTests {
    static var python: String { ProcessInfo.processInfo.environment["TEST_PYTHON"] ?? "deploy/.venv/bin/python" }
    static let mebibyte = 1 << 20

    /// The close codes (and reasons) our echo server's connections ended with.
    final class Closes: Sendable {
        private let list = Mutex<[String]>([])
        func add(_ code: WebSocketCloseCode?, _ reason: String) { list.withLock { $0.append("\(code.map(String.init(describing:)) ?? "-") \(reason)") } }
        var all: [String] { list.withLock { $0 } }
    }

    @Test func pythonClientAgainstOurServer() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.python), "run deploy/test, which provisions \(Self.python)")
        let closes = Closes()
        let server = HTTPServer(configuration: HTTPServerConfiguration.testing()) { request in
            HTTPResponse.webSocketOrRefusal(upgrading: request) { socket in
                for await message in socket.messages {
                    if case .text(let text) = message, text.hasPrefix("close:"), let code = UInt16(text.dropFirst(6)) {
                        await socket.close(code: WebSocketCloseCode(code), reason: "as asked")
                        break
                    }
                    switch message {
                    case .text(let text): try await socket.send(text: text)
                    case .binary(let bytes): try await socket.send(binary: bytes)
                    }
                }
                closes.add(socket.closeCode, socket.closeReason)
            }
        }
        try server.start()
        let result = try await TestSupport.run(URL(fileURLWithPath: Self.python),
                                               arguments: ["deploy/checks/websocket_check.py", "client", "ws://127.0.0.1:\(server.port)"],
                                               includingStandardError: true)
        let (status, output) = (result.status, result.output)
        #expect(status == 0, "\(output)")
        for size in [1, 125, 126, 65535, 65536, Self.mebibyte, 16 * Self.mebibyte] {
            #expect(output.contains("ok: text echo \(size) B"), "\(size)")
            #expect(output.contains("ok: binary echo \(size) B"), "\(size)")
        }
        for check in ["fragmented text echo", "fragmented binary echo", "character split across fragments", "pong to our ping",
                      "client close 4002 echoed", "server close 4001", "oversize message closed with 1009",
                      "invalid UTF-8 closed with 1007", "text ending mid-character closed with 1007"] {
            #expect(output.contains("ok: " + check), "\(check)\n\(output)")
        }
        #expect(output.hasSuffix("\n0 failed\n"), "\(output)")
        // What our server saw: the client's close code, and each failure it closed with.
        _ = await eventually { closes.all.count >= 5 }
        #expect(closes.all.contains("4002 client bye"), "\(closes.all)")
        #expect(closes.all.contains("1009 frame of 16777217 bytes exceeds 16777216"), "\(closes.all)")
        #expect(closes.all.filter { $0.hasPrefix("1007 ") }.count == 2, "\(closes.all)")
        await server.shutdown(gracePeriod: .seconds(1))
    }

    @Test func ourClientAgainstPythonServer() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.python), "run deploy/test, which provisions \(Self.python)")
        let peer = try await PythonPeer.start(script: "websocket_check.py", arguments: ["server"], python: Self.python,
                                             capturingErrors: true)
        let port = peer.port
        let base = "ws://127.0.0.1:\(port)"
        let client = HTTPClient(configuration: .testing())

        let echo = try await WebSocketClient.connect(base + "/echo", using: client)
        var replies = echo.messages.makeAsyncIterator()
        for size in [1, 125, 126, 65535, 65536, Self.mebibyte, 16 * Self.mebibyte] {
            let text = String(repeating: "é", count: size / 2) + String(repeating: "a", count: size % 2)
            try await echo.send(text: text)
            #expect(await replies.next() == .text(text), "text \(size)")
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            try await echo.send(binary: bytes)
            #expect(await replies.next() == .binary(bytes), "binary \(size)")
        }
        // Fragments (cut inside characters, as the RFC allows), and a ping on the way.
        try await echo.send(text: "fragmented ✓ message", fragmentSize: 3)
        try await echo.ping(Array("ping".utf8))
        #expect(await replies.next() == .text("fragmented ✓ message"))
        try await echo.send(binary: Array(0..<200), fragmentSize: 64)
        #expect(await replies.next() == .binary(Array(0..<200)))
        await echo.close(code: WebSocketCloseCode(4002), reason: "client bye")
        #expect(echo.closeCode == WebSocketCloseCode(4002))

        let closing = try await WebSocketClient.connect(base + "/close/4003", using: client)
        try await closing.send(text: "x")
        for await _ in closing.messages {}
        #expect(closing.closeCode == WebSocketCloseCode(4003))
        #expect(closing.closeReason == "server bye")

        let oversize = try await WebSocketClient.connect(base + "/echo", using: client)
        try? await oversize.send(binary: [UInt8](repeating: 1, count: 16 * Self.mebibyte + 1))
        for await _ in oversize.messages {}
        #expect(oversize.closeCode == .messageTooBig)

        let invalid = try await WebSocketClient.connect(base + "/invalid-utf8", using: client)
        for await _ in invalid.messages {}
        #expect(invalid.closeCode == .invalidPayload)

        let fragments = try await WebSocketClient.connect(base + "/fragments", using: client)
        var parts = fragments.messages.makeAsyncIterator()
        #expect(await parts.next() == .text("fragmented ✓"))
        #expect(await parts.next() == .binary(Array("abcd".utf8)))
        await fragments.close()
        #expect(fragments.closeCode == .normal)

        let pinged = try await WebSocketClient.connect(base + "/ping", using: client)
        var pong = pinged.messages.makeAsyncIterator()
        #expect(await pong.next() == .text("pong ok"))
        await pinged.close(code: .goingAway)

        let output = await peer.finish()
        // What the Python server saw: our close codes, and our 1007 for its bad text.
        // (After failing a connection for the oversize message it discards what follows,
        // our close frame included: every connection ended, that one without a code.)
        for line in ["SERVER /echo close 4002 client bye", "SERVER /close/4003 close 4003 server bye",
                     "SERVER /invalid-utf8 close 1007 text is not UTF-8", "SERVER /fragments close 1000", "SERVER /ping close 1001"] {
            #expect(output.contains(line), "\(line)\n\(output)")
        }
        #expect(output.components(separatedBy: "\n").filter { $0.hasPrefix("SERVER ") }.count == 6, "\(output)")
        await client.shutdown()
    }
}
