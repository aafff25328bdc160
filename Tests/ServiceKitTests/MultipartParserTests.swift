import HTTPCore
import Testing
import TestSupport
@testable import ServiceKit

/// Drives `MultipartParser` as a reader does: feed each chunk, pull every event, check the
/// event order, and collect the parts.
enum MultipartHarness {
    static func parse(_ chunks: [[UInt8]], boundary: String,
                      limits: MultipartLimits = MultipartLimits()) throws(MultipartError) -> [MultipartPart] {
        var parser = try MultipartParser(boundary: boundary, limits: limits)
        var parts: [MultipartPart] = []
        var open = false
        func drain(_ parser: inout MultipartParser) throws(MultipartError) {
            while let event = try parser.next() {
                switch event {
                case .part(let head):
                    #expect(!open, "a part began before the previous one ended")
                    parts.append(MultipartPart(head: head, body: []))
                    open = true
                case .body(let chunk):
                    #expect(open && !chunk.isEmpty, "body bytes outside a part, or an empty chunk")
                    parts[parts.count - 1].body += chunk
                case .partEnd:
                    #expect(open, "a part ended that had not begun")
                    open = false
                }
            }
        }
        for chunk in chunks {
            try parser.feed(chunk)
            try drain(&parser)
        }
        try parser.finish()
        #expect(!open && parser.isComplete)
        return parts
    }

    /// The error the parser throws for `bytes` fed whole (nil if it accepts them).
    static func error(_ chunks: [[UInt8]], boundary: String, limits: MultipartLimits = MultipartLimits()) -> MultipartError? {
        do {
            _ = try parse(chunks, boundary: boundary, limits: limits)
            return nil
        } catch {
            return error
        }
    }
}

/// Builds multipart test bodies from text and bytes.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func field(_ name: String, _ body: [UInt8], filename: String? = nil, contentType: String? = nil,
           headers: HTTPHeaders? = nil) -> MultipartPart {
    var h = HTTPHeaders()
    var disposition = "form-data; name=\"\(name)\""
    if let filename { disposition += "; filename=\"\(filename)\"" }
    h.add("Content-Disposition", disposition)
    if let contentType { h.add("Content-Type", contentType) }
    return MultipartPart(head: MultipartPartHead(name: name, filename: filename, contentType: contentType, headers: headers ?? h),
                         body: body)
}

@Suite struct MultipartParserTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let boundary: String
        let body: [UInt8]
        let expected: [MultipartPart]
        var testDescription: String { name }
    }

    static let corpus: [Case] = [
        Case(name: "one field", boundary: "B",
             body: bytes("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--B--\r\n"),
             expected: [field("a", bytes("1"))]),
        Case(name: "preamble, file, CRLF in a body, epilogue", boundary: "B",
             body: bytes("preamble line\r\n--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.py\"\r\n"
                         + "Content-Type: text/x-python\r\n\r\nline1\r\nline2\r\n\r\n--B\r\n"
                         + "Content-Disposition: form-data; name=\"n\"\r\n\r\n2\r\n--B--\r\nepilogue --B\r\n--B\r\n"),
             expected: [field("f", bytes("line1\r\nline2\r\n"), filename: "x.py", contentType: "text/x-python"),
                        field("n", bytes("2"))]),
        Case(name: "look-alike boundaries inside bodies", boundary: "frontier",
             body: bytes("--frontier\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\n"
                         + "a\r\n--frontierX\r\n--frontier-x\r\n-\r\n--front\r\n--\r\r\n\n\r\n--frontier\r\n"
                         + "Content-Disposition: form-data; name=\"u\"\r\n\r\n--frontier\r\n--frontier--"),
             expected: [field("t", bytes("a\r\n--frontierX\r\n--frontier-x\r\n-\r\n--front\r\n--\r\r\n\n")),
                        field("u", bytes("--frontier"))]),
        Case(name: "transport padding, an empty part, an unknown header, escaped quotes", boundary: "b0undary",
             body: bytes("--b0undary \t\r\ncontent-disposition: Form-Data;name=\"a\\\"b\" ; filename=\"C:\\dir\\f.txt\"\r\n"
                         + "X-Extra:   kept  \r\n\r\n\r\n--b0undary\t\r\nContent-Disposition: form-data; name=empty\r\n\r\n"
                         + "\r\n--b0undary--"),
             expected: [MultipartPart(head: MultipartPartHead(name: "a\"b", filename: "C:\\dir\\f.txt", contentType: nil,
                                                              headers: ["content-disposition": "Form-Data;name=\"a\\\"b\" ; filename=\"C:\\dir\\f.txt\"",
                                                                        "X-Extra": "kept"]),
                                      body: []),
                        field("empty", [], headers: ["Content-Disposition": "form-data; name=empty"])]),
        Case(name: "filename* and binary bytes", boundary: "a'()+_,-./:=? z",
             body: bytes("--a'()+_,-./:=? z\r\nContent-Disposition: form-data; name=\"up\"; filename=\"fallback.txt\"; "
                         + "filename*=UTF-8''na%C3%AFve%20r%C3%A9sum%C3%A9.txt\r\nContent-Type: application/octet-stream\r\n\r\n")
                + [0, 13, 10, 0xFF, 0xFE, 13, 13, 10, 45, 45, 10] + bytes("\r\n--a'()+_,-./:=? z--"),
             expected: [MultipartPart(head: MultipartPartHead(name: "up", filename: "naïve résumé.txt", contentType: "application/octet-stream",
                                                              headers: ["Content-Disposition": "form-data; name=\"up\"; filename=\"fallback.txt\"; filename*=UTF-8''na%C3%AFve%20r%C3%A9sum%C3%A9.txt",
                                                                        "Content-Type": "application/octet-stream"]),
                                      body: [0, 13, 10, 0xFF, 0xFE, 13, 13, 10, 45, 45, 10])]),
        Case(name: "no parts", boundary: "B", body: bytes("--B--"), expected: []),
        Case(name: "a preamble that starts with CRLF and a dash-led boundary", boundary: "--xyz",
             body: bytes("\r\n\r\n----xyz\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\nv\r\n----xyz--\r\n"),
             expected: [field("k", bytes("v"))]),
    ]

    @Test("each corpus body parses to its expected parts", arguments: corpus)
    func wholeBody(_ c: Case) throws {
        #expect(try MultipartHarness.parse([c.body], boundary: c.boundary) == c.expected)
    }

    @Test("every two-way split gives the same parts", arguments: corpus)
    func everyTwoWaySplit(_ c: Case) async throws {
        for (index, chunks) in ByteSplits.everyTwoWaySplit(c.body).enumerated() {
            await Task.yield()  // CPU-bound: give the pool's other jobs a turn
            #expect(try MultipartHarness.parse(chunks, boundary: c.boundary) == c.expected, "split at \(index + 1)")
        }
    }

    @Test("byte-at-a-time and random four-way splits give the same parts", arguments: corpus)
    func byteAtATimeAndRandom(_ c: Case) async throws {
        #expect(try MultipartHarness.parse(ByteSplits.byteAtATime(c.body), boundary: c.boundary) == c.expected)
        for chunks in ByteSplits.randomSplits(c.body, pieces: 4, count: 200, seed: UInt64(c.body.count)) {
            await Task.yield()  // CPU-bound: give the pool's other jobs a turn
            #expect(try MultipartHarness.parse(chunks, boundary: c.boundary) == c.expected)
        }
    }

    @Test func partsAndBodyBytesAreDeliveredBeforeTheBodyEnds() throws {
        var parser = try MultipartParser(boundary: "B")
        try parser.feed(bytes("--B\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nfirst bytes"))
        #expect(try parser.next() == .part(MultipartPartHead(name: "f", headers: ["Content-Disposition": "form-data; name=\"f\""])))
        #expect(try parser.next() == .body(bytes("first bytes")))
        #expect(try parser.next() == nil)
        // A CR that may begin the boundary is held back until the next bytes decide it.
        try parser.feed(bytes(" more\r\n--"))
        #expect(try parser.next() == .body(bytes(" more")))
        #expect(try parser.next() == nil)
        try parser.feed(bytes("Bx"))
        #expect(try parser.next() == .body(bytes("\r\n--Bx")))
        try parser.feed(bytes("\r\n--B--"))
        #expect(try parser.next() == .partEnd)
        #expect(try parser.next() == nil)
        #expect(parser.isComplete)
        try parser.finish()
    }

    // MARK: - Malformed bodies

    struct Malformed: Sendable, CustomTestStringConvertible {
        let name: String
        let body: [UInt8]
        let message: String
        var testDescription: String { name }
    }

    static let disposition = "Content-Disposition: form-data; name=\"a\"\r\n"

    static let malformed: [Malformed] = [
        Malformed(name: "no boundary line", body: bytes("just text\r\n--C\r\n"), message: "has no --B line"),
        Malformed(name: "empty body", body: [], message: "has no --B line"),
        Malformed(name: "ends inside a body", body: bytes("--B\r\n\(disposition)\r\nvalue"), message: "ended before"),
        Malformed(name: "ends after a part without the closing boundary", body: bytes("--B\r\n\(disposition)\r\nv\r\n--B\r\n"),
                  message: "ended before"),
        Malformed(name: "ends inside headers", body: bytes("--B\r\nContent-Disposition: form"), message: "ended before"),
        Malformed(name: "boundary line ends in a bare LF", body: bytes("--B\n\(disposition)\r\nv\r\n--B--"), message: "CRLF"),
        Malformed(name: "boundary line ends in CR without LF", body: bytes("--B\r\(disposition)\r\nv\r\n--B--"), message: "CRLF"),
        Malformed(name: "text after the boundary's padding", body: bytes("--B  x\r\n\(disposition)\r\nv\r\n--B--"), message: "CRLF"),
        Malformed(name: "a part without headers", body: bytes("--B\r\n\r\nbody\r\n--B--"), message: "no Content-Disposition"),
        Malformed(name: "a header line without a colon", body: bytes("--B\r\n\(disposition)Broken\r\n\r\nv\r\n--B--"),
                  message: "malformed multipart part header line"),
        Malformed(name: "a folded header", body: bytes("--B\r\n\(disposition)X: a\r\n b\r\n\r\nv\r\n--B--"), message: "folded"),
        Malformed(name: "a bare LF inside the headers", body: bytes("--B\r\nX: a\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--B--"),
                  message: "CRLF"),
        Malformed(name: "a bare CR inside a header", body: bytes("--B\r\nX: a\rb\r\n\(disposition)\r\nv\r\n--B--"), message: "CRLF"),
        Malformed(name: "a header name that is not a token", body: bytes("--B\r\nContent Disposition: form-data; name=a\r\n\r\nv\r\n--B--"),
                  message: "header name"),
        Malformed(name: "not form-data", body: bytes("--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--B--"),
                  message: "not form-data"),
        Malformed(name: "no name", body: bytes("--B\r\nContent-Disposition: form-data; filename=\"x\"\r\n\r\nv\r\n--B--"),
                  message: "no name"),
        Malformed(name: "two Content-Dispositions", body: bytes("--B\r\n\(disposition)\(disposition)\r\nv\r\n--B--"),
                  message: "more than one Content-Disposition"),
        Malformed(name: "a repeated parameter", body: bytes("--B\r\nContent-Disposition: form-data; name=a; NAME=b\r\n\r\nv\r\n--B--"),
                  message: "malformed Content-Disposition"),
        Malformed(name: "an unterminated quoted string", body: bytes("--B\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--B--"),
                  message: "malformed Content-Disposition"),
        Malformed(name: "a filename* in an unknown charset",
                  body: bytes("--B\r\nContent-Disposition: form-data; name=a; filename*=KOI8-R''x\r\n\r\nv\r\n--B--"), message: "filename*"),
        Malformed(name: "a filename* with a broken escape",
                  body: bytes("--B\r\nContent-Disposition: form-data; name=a; filename*=UTF-8''x%2\r\n\r\nv\r\n--B--"), message: "filename*"),
        Malformed(name: "a filename* that is not UTF-8",
                  body: bytes("--B\r\nContent-Disposition: form-data; name=a; filename*=UTF-8''%FF\r\n\r\nv\r\n--B--"), message: "filename*"),
        Malformed(name: "a header value that is not UTF-8",
                  body: bytes("--B\r\n\(disposition)X: ") + [0xC3, 0x28] + bytes("\r\n\r\nv\r\n--B--"), message: "UTF-8"),
        Malformed(name: "two Content-Types", body: bytes("--B\r\n\(disposition)Content-Type: a/b\r\nContent-Type: c/d\r\n\r\nv\r\n--B--"),
                  message: "more than one Content-Type"),
    ]

    @Test("each malformed body is a 400 naming the rule, in every split", arguments: malformed)
    func malformedBodies(_ c: Malformed) async throws {
        let whole = MultipartHarness.error([c.body], boundary: "B")
        #expect(whole?.kind == .malformed, "\(String(describing: whole))")
        #expect(whole?.status == .badRequest)
        #expect(whole?.message.contains(c.message) == true, "\(whole?.message ?? "accepted")")
        #expect(MultipartHarness.error(ByteSplits.byteAtATime(c.body), boundary: "B") == whole)
        for chunks in ByteSplits.everyTwoWaySplit(c.body) {
            await Task.yield()  // CPU-bound: give the pool's other jobs a turn
            #expect(MultipartHarness.error(chunks, boundary: "B") == whole)
        }
    }

    // MARK: - Limits

    static func parts(_ count: Int, bodyBytes: Int = 1) -> [UInt8] {
        var out: [UInt8] = []
        for index in 0..<count {
            out += bytes("--B\r\nContent-Disposition: form-data; name=\"p\(index)\"\r\n\r\n") + Array(repeating: 0x61, count: bodyBytes) + bytes("\r\n")
        }
        return out + bytes("--B--\r\n")
    }

    @Test func partCountLimit() throws {
        var limits = MultipartLimits()
        limits.maxParts = 3
        #expect(try MultipartHarness.parse([Self.parts(3)], boundary: "B", limits: limits).count == 3)
        let error = MultipartHarness.error([Self.parts(4)], boundary: "B", limits: limits)
        #expect(error == MultipartError(.tooManyParts, "multipart body has more than 3 parts"))
        #expect(error?.status == .payloadTooLarge)
    }

    @Test func partHeaderLimitCountsTheWholeBlockAndPadding() throws {
        let head = "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
        var limits = MultipartLimits()
        limits.maxPartHeaderBytes = head.utf8.count
        let exact = bytes("--B\r\n\(head)v\r\n--B--")
        #expect(try MultipartHarness.parse([exact], boundary: "B", limits: limits).count == 1)
        let padded = bytes("--B \r\n\(head)v\r\n--B--")
        #expect(MultipartHarness.error([padded], boundary: "B", limits: limits)?.kind == .headerTooLarge)
        let longer = bytes("--B\r\n\(head.dropLast(2))X\r\n\r\nv\r\n--B--")  // "\r\n" is one Character
        let error = MultipartHarness.error(ByteSplits.byteAtATime(longer), boundary: "B", limits: limits)
        #expect(error == MultipartError(.headerTooLarge, "multipart part headers exceed \(head.utf8.count) bytes"))
        #expect(error?.status == .payloadTooLarge)
    }

    @Test func anEndlessHeaderBlockIsRefusedBeforeTheBodyEnds() throws {
        var limits = MultipartLimits()
        limits.maxPartHeaderBytes = 100
        var parser = try MultipartParser(boundary: "B", limits: limits)
        try parser.feed(bytes("--B\r\nX-Long: "))
        #expect(try parser.next() == nil)
        try parser.feed(Array(repeating: 0x61, count: 100))
        #expect(throws: MultipartError.self) { try parser.next() }
    }

    @Test func partBodyLimit() throws {
        var limits = MultipartLimits()
        limits.maxPartBytes = 10
        #expect(try MultipartHarness.parse([Self.parts(2, bodyBytes: 10)], boundary: "B", limits: limits).allSatisfy { $0.body.count == 10 })
        for chunks in [[Self.parts(2, bodyBytes: 11)], ByteSplits.byteAtATime(Self.parts(2, bodyBytes: 11))] {
            let error = MultipartHarness.error(chunks, boundary: "B", limits: limits)
            #expect(error == MultipartError(.partTooLarge, "multipart part 'p0' exceeds 10 bytes"))
            #expect(error?.status == .payloadTooLarge)
        }
        // Streamed: the part is refused as soon as it is over, not when it ends.
        var parser = try MultipartParser(boundary: "B", limits: limits)
        try parser.feed(bytes("--B\r\nContent-Disposition: form-data; name=\"big\"\r\n\r\n"))
        _ = try parser.next()
        try parser.feed(Array(repeating: 0x61, count: 20))
        #expect(throws: MultipartError(.partTooLarge, "multipart part 'big' exceeds 10 bytes")) { try parser.next() }
    }

    @Test func totalLimitCountsEveryByteFed() throws {
        let body = Self.parts(2) + bytes("epilogue")
        var limits = MultipartLimits()
        limits.maxTotalBytes = body.count
        #expect(try MultipartHarness.parse(ByteSplits.byteAtATime(body), boundary: "B", limits: limits).count == 2)
        limits.maxTotalBytes = body.count - 1
        let error = MultipartHarness.error(ByteSplits.byteAtATime(body), boundary: "B", limits: limits)
        #expect(error == MultipartError(.bodyTooLarge, "multipart body exceeds \(body.count - 1) bytes"))
        #expect(error?.status == .payloadTooLarge)
    }

    @Test func limitsFromSettings() throws {
        let config = Config(service: "t", settings: MultipartLimits.settings,
                            environment: ["MULTIPART_MAX_PARTS": "7", "MULTIPART_MAX_PART_BYTES": " 1024 "])
        let limits = try MultipartLimits(config: config)
        #expect(limits == MultipartLimits(maxParts: 7, maxPartHeaderBytes: 8 * 1024, maxPartBytes: 1024, maxTotalBytes: 16 * 1024 * 1024))
        #expect(MultipartLimits.settings.map(\.name) == ["MULTIPART_MAX_PARTS", "MULTIPART_MAX_PART_HEADER_BYTES",
                                                         "MULTIPART_MAX_PART_BYTES", "MULTIPART_MAX_TOTAL_BYTES"])
        for (name, value) in [("MULTIPART_MAX_TOTAL_BYTES", "x"), ("MULTIPART_MAX_PARTS", "0"), ("MULTIPART_MAX_PART_HEADER_BYTES", "10")] {
            let bad = Config(service: "t", settings: MultipartLimits.settings, environment: [name: value])
            #expect(throws: ConfigError.self) { try MultipartLimits(config: bad) }
        }
    }

    // MARK: - Boundary from the Content-Type

    @Test func boundaryFromContentType() throws {
        #expect(try MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=abc") == "abc")
        #expect(try MultipartParser.boundary(fromContentType: "Multipart/Form-Data;BOUNDARY=\"a b;c\"") == "a b;c")
        #expect(try MultipartParser.boundary(fromContentType: "multipart/form-data; charset=utf-8; boundary=\"x\\\"y\"  ") == "x\"y")
        #expect(try MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW")
                == "----WebKitFormBoundary7MA4YWxkTrZu0gW")
        let cases: [(String, MultipartError.Kind)] = [
            ("multipart/form-data", .badBoundary),
            ("multipart/form-data; boundary=", .badBoundary),
            ("multipart/form-data; boundary=\"\"", .badBoundary),
            ("multipart/form-data; boundary=\"ends in space \"", .badBoundary),
            ("multipart/form-data; boundary=" + String(repeating: "x", count: 71), .badBoundary),
            ("multipart/form-data; boundary=\"tab\there\"", .badBoundary),
            ("multipart/form-data; boundary=a; boundary=b", .badBoundary),
            ("multipart/form-data; boundary=\"open", .badBoundary),
            ("multipart/mixed; boundary=a", .notMultipart),
            ("application/x-www-form-urlencoded", .notMultipart),
            ("", .notMultipart),
        ]
        for (contentType, kind) in cases {
            do {
                _ = try MultipartParser.boundary(fromContentType: contentType)
                Issue.record("accepted \(contentType)")
            } catch {
                #expect(error.kind == kind, "\(contentType)")
                #expect(error.status.code == (kind == .notMultipart ? 415 : 400))
            }
        }
        #expect(try MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=" + String(repeating: "x", count: 70)).count == 70)
    }

    @Test func headerParameters() throws {
        let p = try #require(HeaderParameters(parsing: " form-data ;name=\"a;b\";; filename=plain ; x=\"\" ;"))
        #expect(p.value == "form-data")
        #expect(p.parameters == [.init(name: "name", value: "a;b"), .init(name: "filename", value: "plain"), .init(name: "x", value: "")])
        #expect(p["FILENAME"] == "plain" && p["missing"] == nil)
        #expect(HeaderParameters(parsing: "form-data; name") == nil)
        #expect(HeaderParameters(parsing: "form-data; =v") == nil)
        #expect(HeaderParameters(parsing: "form-data; name=a b") == nil)
        #expect(HeaderParameters(parsing: "form-data; n@me=a") == nil)
    }

    @Test func extendedFilenames() {
        #expect(MultipartPartHead.decodeExtendedValue("utf-8'en'%E2%82%AC%20rates") == "€ rates")
        #expect(MultipartPartHead.decodeExtendedValue("ISO-8859-1''%A3%20rates") == "£ rates")
        #expect(MultipartPartHead.decodeExtendedValue("UTF-8'x") == nil)
        #expect(MultipartPartHead.decodeExtendedValue("UTF-8''a b") == nil)
    }
}
