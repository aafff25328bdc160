import Testing
import TestSupport
@testable import HTTPCore

/// Drives the parser pieces as a connection does, feeding bytes in given splits.
struct ParserHarness {
    var buf = ByteBuffer()
    var scanner = HeadScanner()
    var limits = HTTPLimits()

    struct Parsed: Equatable {
        var method: String
        var target: String
        var headers: [String]
        var body: [UInt8]
    }

    /// Parses every request in `data` fed as `chunks`; throws the first parse error.
    static func parseAll(_ chunks: [[UInt8]], limits: HTTPLimits = HTTPLimits()) throws -> [Parsed] {
        var h = ParserHarness()
        h.limits = limits
        var out: [Parsed] = []
        var head: RequestHead?
        var body: [UInt8] = []
        var remaining = 0
        var chunked: ChunkedDecoder?
        for c in chunks {
            h.buf.append(c)
            while true {
                if let hd = head {
                    if var d = chunked {
                        let done = try d.decode(&h.buf, into: &body, maxBody: limits.maxBodyBytes)
                        chunked = d
                        if !done { break }
                    } else {
                        let n = min(remaining, h.buf.readable)
                        body += h.buf.take(n)
                        remaining -= n
                        if remaining > 0 { break }
                    }
                    out.append(Parsed(method: hd.method.rawValue, target: hd.target,
                                      headers: hd.headers.map { "\($0.name): \($0.value)" }, body: body))
                    head = nil; body = []; chunked = nil
                    continue
                }
                while h.buf.readable >= 2 && h.buf.bytes[h.buf.readIndex] == 13 && h.buf.bytes[h.buf.readIndex + 1] == 10 { h.buf.skip(2) }
                if h.buf.isEmpty { break }
                let start = h.buf.readIndex
                let lim = h.limits
                let found: (RequestHead, Int)? = try h.buf.bytes.withUnsafeBufferPointer { p in
                    guard let end = try h.scanner.findEnd(p, start: start, limits: lim, isRequest: true) else { return nil }
                    return (try parseRequestHead(p, start: start, end: end, limits: lim), end)
                }
                guard let (hd, end) = found else { break }
                h.buf.skip(end - start)
                head = hd
                switch hd.framing {
                case .none, .untilClose: remaining = 0
                case .length(let n): remaining = n
                case .chunked: chunked = ChunkedDecoder()
                }
            }
        }
        return out
    }

    /// Splits `bytes` at the given offsets.
    static func split(_ bytes: [UInt8], at points: [Int]) -> [[UInt8]] { ByteSplits.split(bytes, at: points) }
}

@Suite struct ParserSplitTests {
    static let corpus: [String] = [
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /path/x?y=1&z=%20 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\nAccept: */*\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\nContent-Type: text/plain\r\n\r\nhello world",
        "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n",
        "PUT /u HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc",
        "\r\nGET /after-crlf HTTP/1.1\r\nHost: a\r\nX-Empty:\r\nX-Spaces:   padded value  \r\n\r\n",
        // Two pipelined requests.
        "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok",
        "POST /big HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\na\r\nabcdefghij\r\n0\r\n\r\n",
    ]

    @Test("every corpus request parses the same in every two-way split", arguments: corpus.indices)
    func everyTwoWaySplit(_ index: Int) async throws {
        let bytes = Array(Self.corpus[index].utf8)
        let whole = try ParserHarness.parseAll([bytes])
        #expect(!whole.isEmpty)
        for p in 1..<bytes.count {
            await Task.yield()  // CPU-bound: give the pool's other jobs a turn
            let parts = ParserHarness.split(bytes, at: [p])
            #expect(try ParserHarness.parseAll(parts) == whole, "split at \(p)")
        }
    }

    @Test("byte-at-a-time and random three-way splits parse identically", arguments: corpus.indices)
    func byteAtATimeAndRandomSplits(_ index: Int) async throws {
        let bytes = Array(Self.corpus[index].utf8)
        let whole = try ParserHarness.parseAll([bytes])
        #expect(try ParserHarness.parseAll(bytes.map { [$0] }) == whole)
        var rng = SplitMix(seed: UInt64(index) + 7)
        for _ in 0..<200 {
            await Task.yield()  // CPU-bound: give the pool's other jobs a turn
            let pts = (0..<3).map { _ in Int(rng.next() % UInt64(bytes.count)) }
            #expect(try ParserHarness.parseAll(ParserHarness.split(bytes, at: pts)) == whole)
        }
    }

    @Test func parsedFieldsAreRight() throws {
        let r = try ParserHarness.parseAll([Array(Self.corpus[3].utf8)])
        #expect(r.count == 1)
        #expect(r[0].method == "POST")
        #expect(String(decoding: r[0].body, as: UTF8.self) == "hello world")
        let p = try ParserHarness.parseAll([Array(Self.corpus[5].utf8)])
        #expect(p[0].target == "/after-crlf")
        #expect(p[0].headers.contains("X-Spaces: padded value"))
        #expect(p[0].headers.contains("X-Empty: "))
        let two = try ParserHarness.parseAll([Array(Self.corpus[6].utf8)])
        #expect(two.map(\.target) == ["/1", "/2"])
    }

    @Test func chunkSizeLimitIsEnforcedAcrossChunks() throws {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 15
        let req = Array("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\nA\r\n0123456789\r\n0\r\n\r\n".utf8)
        #expect(throws: HTTPParseError(413, "request body too large")) { try ParserHarness.parseAll([req], limits: limits) }
    }

    @Test func contentLengthBeyondLimitIs413() throws {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 10
        let req = Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n".utf8)
        #expect(throws: HTTPParseError.self) { try ParserHarness.parseAll([req], limits: limits) }
    }
}
