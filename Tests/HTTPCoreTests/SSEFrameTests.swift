import HTTPCore
import Testing
import TestSupport

/// `SSEParser.feedFrames`: a proxy's view of a stream. In every split, the frames' bytes put
/// back together are the input exactly, and their events are the ones `feed` gives.
@Suite struct SSEFrameTests {
    static let streams: [String] = [
        "data: one\n\ndata: two\n\n",
        "event: message_start\ndata: {\"a\":1}\n\n: a comment\n\nevent: ping\ndata: {}\n\n",
        "data: a\r\ndata: b\r\n\r\nid: 7\r\ndata: c\r\n\r\n",
        "data: a\r\rdata: b\r\r",
        "\u{FEFF}data: bom\n\n",
        "retry: 10\n\ndata: x\nevent: e\n\n",
        "data: [DONE]\n\n",
        "data: unterminated",
    ]

    @Test(arguments: streams)
    func framesReproduceTheStreamAndItsEvents(stream: String) {
        let bytes = Array(stream.utf8)
        var reference = SSEParser()
        let expected = reference.feed(bytes)
        var splits = ByteSplits.everyTwoWaySplit(bytes)
        splits.append(ByteSplits.byteAtATime(bytes))
        splits += ByteSplits.randomSplits(bytes, pieces: 5, count: 20, seed: 11)
        for split in splits {
            var parser = SSEParser()
            var frames: [SSEFrame] = []
            for piece in split { frames += parser.feedFrames(piece) }
            let tail = parser.finishFrames()
            #expect(frames.flatMap(\.bytes) + tail == bytes, "\(split)")
            #expect(frames.compactMap(\.event) == expected, "\(split)")
        }
    }

    @Test func eachEventIsItsOwnFrame() {
        var parser = SSEParser()
        let frames = parser.feedFrames(Array("data: one\n\n: note\n\ndata: two\n\n".utf8))
        #expect(frames.map { String(decoding: $0.bytes, as: UTF8.self) } == ["data: one\n\n", ": note\n\n", "data: two\n\n"])
        #expect(frames.map { $0.event?.data } == ["one", nil, "two"])
    }
}
