import Foundation
import Testing
import TestSupport
@testable import HTTPCore

/// Protocol violations found by the parser and the assembler, each with its close code;
/// the UTF-8 validator; the handshake's accept value and refusals.
@Suite struct WebSocketProtocolTests {
    static func frame(_ first: UInt8, _ rest: [UInt8]) -> [UInt8] { [first] + rest }

    /// Feeds `bytes` (as a server reads a client when `masked`); the code it fails with.
    static func failure(_ bytes: [UInt8], masked: Bool = true, maxMessage: Int = 1 << 20) -> WebSocketCloseCode? {
        var parser = WebSocketFrameParser(expectsMasked: masked, maxPayload: maxMessage)
        var assembler = WebSocketMessageAssembler(maxMessageBytes: maxMessage)
        parser.append(bytes)
        do {
            while let frame = try parser.nextFrame() { _ = try assembler.consume(frame) }
        } catch {
            return error.code
        }
        return nil
    }

    static func masked(_ frames: [WebSocketFrame]) -> [UInt8] {
        var out: [UInt8] = []
        for var frame in frames {
            frame.maskKey = 0x1122_3344
            WebSocketFrameWriter.append(frame, to: &out)
        }
        return out
    }

    @Test func framingViolationsAre1002() {
        // An unmasked frame from a client; a masked one from a server.
        #expect(Self.failure([0x81, 0x02, 0x68, 0x69]) == .protocolError)
        #expect(Self.failure(Self.masked([WebSocketFrame(opcode: .text, payload: [0x68])]), masked: false) == .protocolError)
        // Reserved bits (no extension negotiated), reserved opcodes.
        for first: UInt8 in [0xC1, 0xA1, 0x91] {
            #expect(Self.failure([first, 0x80, 1, 2, 3, 4]) == .protocolError, "first byte \(first)")
        }
        for opcode: UInt8 in [3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF] {
            #expect(Self.failure([0x80 | opcode, 0x80, 1, 2, 3, 4]) == .protocolError, "opcode \(opcode)")
        }
        // A control frame over 125 bytes, a fragmented control frame.
        #expect(Self.failure(Self.masked([WebSocketFrame(opcode: .ping, payload: [UInt8](repeating: 1, count: 126))])) == .protocolError)
        #expect(Self.failure(Self.masked([WebSocketFrame(fin: false, opcode: .ping, payload: [])])) == .protocolError)
        // A 64-bit length with its top bit set.
        #expect(Self.failure([0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4]) == .protocolError)
        // A continuation with no message begun; a new message inside a fragmented one.
        #expect(Self.failure(Self.masked([WebSocketFrame(opcode: .continuation, payload: [1])])) == .protocolError)
        #expect(Self.failure(Self.masked([WebSocketFrame(fin: false, opcode: .text, payload: [0x61]),
                                          WebSocketFrame(opcode: .binary, payload: [1])])) == .protocolError)
    }

    @Test func closeFramesAreChecked() throws {
        func close(_ payload: [UInt8]) -> WebSocketCloseCode? { Self.failure(Self.masked([WebSocketFrame(opcode: .close, payload: payload)])) }
        #expect(close([0x03]) == .protocolError)  // one byte: half a code
        for code: UInt16 in [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535] {
            #expect(close([UInt8(code >> 8), UInt8(code & 0xFF)]) == .protocolError, "code \(code)")
        }
        for code: UInt16 in [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999] {
            #expect(close([UInt8(code >> 8), UInt8(code & 0xFF)]) == nil, "code \(code)")
        }
        #expect(close([0x03, 0xE8, 0xC3, 0x28]) == .invalidPayload)  // reason not UTF-8
        #expect(close([]) == nil)
        var assembler = WebSocketMessageAssembler(maxMessageBytes: 100)
        #expect(try assembler.consume(WebSocketFrame(opcode: .close, payload: [0x0F, 0xA0] + Array("ok ✓".utf8))) == .close(WebSocketCloseCode(4000), "ok ✓"))
    }

    @Test func oversizeMessagesAre1009() {
        // One frame declaring too much: refused from the header alone.
        #expect(Self.failure([0x82, 0xFE, 0x04, 0x01, 1, 2, 3, 4], maxMessage: 1024) == .messageTooBig)
        #expect(Self.failure([0x82, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4], maxMessage: 1024) == .messageTooBig)
        // Fragments that together exceed the limit.
        let fragments = Self.masked([WebSocketFrame(fin: false, opcode: .binary, payload: [UInt8](repeating: 0, count: 600)),
                                     WebSocketFrame(fin: true, opcode: .continuation, payload: [UInt8](repeating: 0, count: 600))])
        #expect(Self.failure(fragments, maxMessage: 1024) == .messageTooBig)
        #expect(Self.failure(Self.masked([WebSocketFrame(opcode: .binary, payload: [UInt8](repeating: 0, count: 1024))]), maxMessage: 1024) == nil)
    }

    /// After a too-big frame the parser skips its payload and reads the next frame.
    @Test func parserStaysInStepAfterAnOversizeFrame() throws {
        var parser = WebSocketFrameParser(expectsMasked: true, maxPayload: 10)
        let stream = Self.masked([WebSocketFrame(opcode: .binary, payload: [UInt8](repeating: 7, count: 50)),
                                  WebSocketFrame(opcode: .close, payload: [0x03, 0xE8])])
        parser.append(Array(stream[0..<20]))
        #expect(throws: WebSocketProtocolError.self) { try parser.nextFrame() }
        parser.append(Array(stream[20...]))
        #expect(try parser.nextFrame() == WebSocketFrame(opcode: .close, maskKey: 0x1122_3344, payload: [0x03, 0xE8]))
    }

    @Test func invalidUTF8Is1007EvenAcrossFragments() {
        #expect(Self.failure(Self.masked([WebSocketFrame(opcode: .text, payload: [0xC3, 0x28])])) == .invalidPayload)
        // Valid sequences split across fragments are fine; a truncated one at the end is not.
        let split = Self.masked([WebSocketFrame(fin: false, opcode: .text, payload: [0xF0, 0x9F]),
                                 WebSocketFrame(fin: true, opcode: .continuation, payload: [0x98, 0x80])])
        #expect(Self.failure(split) == nil)
        let truncated = Self.masked([WebSocketFrame(fin: false, opcode: .text, payload: [0x61]),
                                     WebSocketFrame(fin: true, opcode: .continuation, payload: [0xE2, 0x82])])
        #expect(Self.failure(truncated) == .invalidPayload)
        // Fails fast: the bad fragment is refused before the message ends.
        var assembler = WebSocketMessageAssembler(maxMessageBytes: 100)
        #expect(throws: WebSocketProtocolError(.invalidPayload, "text is not UTF-8")) {
            _ = try assembler.consume(WebSocketFrame(fin: false, opcode: .text, payload: [0x61, 0xFF]))
        }
        // Binary messages are not checked.
        #expect(Self.failure(Self.masked([WebSocketFrame(opcode: .binary, payload: [0xFF, 0xFE])])) == nil)
    }

    @Test func utf8ValidatorAgreesWithTheStandardLibrary() {
        let cases: [[UInt8]] = [
            [], Array("plain ascii text, long enough for the word path".utf8), Array("κόσμε 😀 ✓".utf8),
            [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xED, 0x9F, 0xBF],
            [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xF5, 0x80, 0x80, 0x80],
            [0x80], [0xBF], [0xFE], [0xFF], [0xE2, 0x82], [0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0xC3],
        ]
        var rng = SplitMix(seed: 99)
        var random: [[UInt8]] = []
        for _ in 0..<2000 {
            let length = Int(rng.next() % 12)
            random.append((0..<length).map { _ in
                let r = rng.next()
                return r % 3 == 0 ? UInt8(truncatingIfNeeded: r >> 8) : [0x61, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0xED, 0xA0][Int(r >> 8) % 12]
            })
        }
        for bytes in cases + random {
            let expected = String(validating: bytes, as: UTF8.self) != nil
            #expect(UTF8Validator.isValid(bytes) == expected, "\(bytes)")
            // Fed in two pieces at every point, the verdict is the same.
            for point in 0...bytes.count {
                var validator = UTF8Validator()
                let ok = validator.feed(Array(bytes[..<point])) && validator.feed(Array(bytes[point...])) && validator.isComplete
                #expect(ok == expected, "\(bytes) split at \(point)")
            }
        }
    }

    @Test func closePayloadIsCutAtACharacterBoundary() {
        let payload = WebSocketFrameWriter.closePayload(code: .goingAway, reason: String(repeating: "é", count: 100))
        #expect(payload.count == 124)  // 2 + 61 two-byte characters
        #expect(Array(payload[0..<2]) == [0x03, 0xE9])
        #expect(UTF8Validator.isValid(Array(payload[2...])))
        #expect(WebSocketFrameWriter.closePayload(code: nil, reason: "ignored").isEmpty)
    }

    @Test func handshakeAcceptAndRefusals() throws {
        #expect(WebSocketHandshake.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        let good: HTTPHeaders = ["Host": "x", "Upgrade": "WebSocket", "Connection": "keep-alive, Upgrade",
                                 "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"]
        #expect(try WebSocketHandshake.validate(HTTPRequest(method: .GET, target: "/", headers: good)) == "dGhlIHNhbXBsZSBub25jZQ==")
        func refusal(_ change: (inout HTTPHeaders) -> Void, method: HTTPMethod = .GET) -> Int? {
            var headers = good
            change(&headers)
            do { _ = try WebSocketHandshake.validate(HTTPRequest(method: method, target: "/", headers: headers)); return nil } catch {
                return error.status.code
            }
        }
        #expect(refusal({ _ in }, method: .POST) == 405)
        #expect(refusal { $0.remove("Upgrade") } == 426)
        #expect(refusal { $0.set("Connection", "keep-alive") } == 400)
        #expect(refusal { $0.set("Sec-WebSocket-Version", "8") } == 426)
        #expect(refusal { $0.remove("Sec-WebSocket-Key") } == 400)
        #expect(refusal { $0.set("Sec-WebSocket-Key", "c2hvcnQ=") } == 400)  // 5 bytes
        #expect(refusal { $0.add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==") } == 400)  // two keys
        let key = WebSocketHandshake.makeKey()
        #expect(Data(base64Encoded: key)?.count == 16 && key != WebSocketHandshake.makeKey())
    }
}
