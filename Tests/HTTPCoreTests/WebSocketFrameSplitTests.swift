import Testing
import TestSupport
@testable import HTTPCore

/// The frame parser fed every byte split of a corpus of frame streams: the frames (and
/// the messages and control events they make) come out the same however the bytes arrive.
@Suite struct WebSocketFrameSplitTests {
    /// A stream of frames as one direction of a connection carries them.
    struct Stream: Sendable {
        var name: String
        var bytes: [UInt8]
        var masked: Bool
    }

    static let hello = Array("Hello".utf8)
    static let mask: UInt32 = 0x37FA_213D

    static func frames(_ list: [WebSocketFrame]) -> [UInt8] {
        var out: [UInt8] = []
        for frame in list { WebSocketFrameWriter.append(frame, to: &out) }
        return out
    }

    static func pattern(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) } }

    static let corpus: [Stream] = [
        // RFC 6455 §5.7 examples, byte for byte.
        Stream(name: "unmasked text", bytes: [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F], masked: false),
        Stream(name: "masked text", bytes: [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58], masked: true),
        Stream(name: "fragmented unmasked text", bytes: [0x01, 0x03, 0x48, 0x65, 0x6C, 0x80, 0x02, 0x6C, 0x6F], masked: false),
        Stream(name: "unmasked ping", bytes: [0x89, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F], masked: false),
        Stream(name: "masked pong", bytes: [0x8A, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58], masked: true),
        // 7-, 16- and 64-bit lengths at their edges.
        Stream(name: "125 bytes masked", bytes: frames([WebSocketFrame(opcode: .binary, maskKey: mask, payload: pattern(125))]), masked: true),
        Stream(name: "126 bytes unmasked", bytes: frames([WebSocketFrame(opcode: .binary, payload: pattern(126))]), masked: false),
        Stream(name: "256 bytes (RFC)", bytes: [0x82, 0x7E, 0x01, 0x00] + pattern(256), masked: false),
        Stream(name: "65535 bytes masked", bytes: frames([WebSocketFrame(opcode: .binary, maskKey: 0x0102_0304, payload: pattern(65535))]), masked: true),
        Stream(name: "65536 bytes (RFC)", bytes: [0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0] + pattern(65536), masked: false),
        // A fragmented text message with control frames between its fragments, then an
        // empty message and a close.
        Stream(name: "fragments with controls between, masked", bytes: frames([
            WebSocketFrame(fin: false, opcode: .text, maskKey: 0xA1B2_C3D4, payload: Array("Grüß ".utf8)),
            WebSocketFrame(opcode: .ping, maskKey: 0x0000_0000, payload: Array("p1".utf8)),
            WebSocketFrame(fin: false, opcode: .continuation, maskKey: 0xFFFF_FFFF, payload: [0xF0, 0x9F]),  // half an emoji
            WebSocketFrame(opcode: .pong, maskKey: 0x1234_5678, payload: []),
            WebSocketFrame(fin: true, opcode: .continuation, maskKey: 0x8765_4321, payload: [0x98, 0x80] + Array(" Gott".utf8)),
            WebSocketFrame(opcode: .binary, maskKey: 0x0BAD_F00D, payload: []),
            WebSocketFrame(opcode: .close, maskKey: 0xDEAD_BEEF, payload: [0x03, 0xE8] + Array("bye".utf8)),
        ]), masked: true),
        Stream(name: "fragmented binary with a ping, unmasked", bytes: frames([
            WebSocketFrame(fin: false, opcode: .binary, payload: pattern(300)),
            WebSocketFrame(fin: false, opcode: .continuation, payload: []),
            WebSocketFrame(opcode: .ping, payload: pattern(125)),
            WebSocketFrame(fin: true, opcode: .continuation, payload: pattern(70_000)),
            WebSocketFrame(opcode: .close, payload: []),
        ]), masked: false),
    ]

    /// Parses `chunks` into frames and the events they make.
    static func parse(_ chunks: [[UInt8]], masked: Bool) throws -> ([WebSocketFrame], [WebSocketEvent]) {
        var parser = WebSocketFrameParser(expectsMasked: masked, maxPayload: 1 << 20)
        var assembler = WebSocketMessageAssembler(maxMessageBytes: 1 << 20)
        var frames: [WebSocketFrame] = []
        var events: [WebSocketEvent] = []
        for chunk in chunks {
            parser.append(chunk)
            while let frame = try parser.nextFrame() {
                frames.append(frame)
                if let event = try assembler.consume(frame) { events.append(event) }
            }
        }
        #expect(parser.bufferedCount == 0)
        return (frames, events)
    }

    /// The split points tried for a stream: all of them for small streams; for long ones,
    /// every point in the first and last 200 bytes and 200 more drawn at random.
    static func splitPoints(_ count: Int, seed: UInt64) -> [Int] {
        if count <= 2048 { return Array(1..<count) }
        var rng = SplitMix(seed: seed)
        return Array(1..<200) + Array((count - 200)..<count) + (0..<200).map { _ in 1 + Int(rng.next() % UInt64(count - 1)) }
    }

    @Test("every corpus stream parses the same in every two-way split", arguments: corpus.indices)
    func everyTwoWaySplit(_ index: Int) async throws {
        let stream = Self.corpus[index]
        let whole = try Self.parse([stream.bytes], masked: stream.masked)
        #expect(!whole.0.isEmpty)
        for point in Self.splitPoints(stream.bytes.count, seed: UInt64(index)) {
            await Task.yield()  // CPU-bound: give the pool's other jobs a turn
            let parts = ParserHarness.split(stream.bytes, at: [point])
            let split = try Self.parse(parts, masked: stream.masked)
            #expect(split.0 == whole.0, "\(stream.name): split at \(point)")
            #expect(split.1 == whole.1, "\(stream.name): split at \(point)")
        }
    }

    @Test("byte-at-a-time and random three-way splits parse identically", arguments: corpus.indices)
    func byteAtATimeAndRandomSplits(_ index: Int) async throws {
        let stream = Self.corpus[index]
        let whole = try Self.parse([stream.bytes], masked: stream.masked)
        if stream.bytes.count <= 4096 {
            #expect(try Self.parse(stream.bytes.map { [$0] }, masked: stream.masked) == whole, "\(stream.name)")
        }
        var rng = SplitMix(seed: UInt64(index) + 11)
        for _ in 0..<100 {
            await Task.yield()  // CPU-bound: give the pool's other jobs a turn
            let points = (0..<3).map { _ in Int(rng.next() % UInt64(stream.bytes.count)) }
            #expect(try Self.parse(ParserHarness.split(stream.bytes, at: points), masked: stream.masked) == whole, "\(stream.name)")
        }
    }

    @Test func parsedFramesAreRight() throws {
        let (text, _) = try Self.parse([Self.corpus[1].bytes], masked: true)
        #expect(text == [WebSocketFrame(opcode: .text, maskKey: Self.mask, payload: Self.hello)])
        let (_, fragmented) = try Self.parse([Self.corpus[2].bytes], masked: false)
        #expect(fragmented == [.message(.text("Hello"))])
        let (long, _) = try Self.parse([Self.corpus[9].bytes], masked: false)
        #expect(long.count == 1 && long[0].payload == Self.pattern(65536))
        let (frames, events) = try Self.parse([Self.corpus[10].bytes], masked: true)
        #expect(frames.map(\.opcode) == [.text, .ping, .continuation, .pong, .continuation, .binary, .close])
        #expect(events == [.ping(Array("p1".utf8)), .pong([]), .message(.text("Grüß 😀 Gott")), .message(.binary([])),
                           .close(.normal, "bye")])
        let (_, binary) = try Self.parse([Self.corpus[11].bytes], masked: false)
        #expect(binary == [.ping(Self.pattern(125)), .message(.binary(Self.pattern(300) + Self.pattern(70_000))), .close(nil, "")])
    }

    /// The writer produces the RFC's example bytes, with the shortest length encoding.
    @Test func writerMatchesTheRFCExamples() {
        #expect(WebSocketFrameWriter.encode(WebSocketFrame(opcode: .text, payload: Self.hello)) == Self.corpus[0].bytes)
        #expect(WebSocketFrameWriter.encode(WebSocketFrame(opcode: .text, maskKey: Self.mask, payload: Self.hello)) == Self.corpus[1].bytes)
        #expect(WebSocketFrameWriter.encode(WebSocketFrame(opcode: .binary, payload: Self.pattern(256))) == Self.corpus[7].bytes)
        #expect(WebSocketFrameWriter.encode(WebSocketFrame(opcode: .binary, payload: Self.pattern(65536))) == Self.corpus[9].bytes)
        #expect(WebSocketFrameWriter.encode(WebSocketFrame(opcode: .binary, payload: Self.pattern(125)))[1] == 125)
        #expect(Array(WebSocketFrameWriter.encode(WebSocketFrame(opcode: .binary, payload: Self.pattern(65535)))[1...3]) == [126, 0xFF, 0xFF])
    }

    /// Masking by words agrees with the byte-by-byte definition at every offset and phase.
    @Test func maskingMatchesTheDefinition() {
        let key: UInt32 = 0x9C3B_51E7
        let keyBytes: [UInt8] = [0x9C, 0x3B, 0x51, 0xE7]
        let data = Self.pattern(67)
        for start in 0..<9 {
            for phase in 0..<4 {
                var masked = data
                WebSocketMasking.apply(key: key, to: &masked, in: start..<data.count, phase: phase)
                var expected = data
                for index in start..<data.count { expected[index] ^= keyBytes[(phase + index - start) & 3] }
                #expect(masked == expected, "start \(start) phase \(phase)")
            }
        }
    }
}
