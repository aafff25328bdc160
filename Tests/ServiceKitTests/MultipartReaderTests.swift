import HTTPCore
import Synchronization
import Testing
@testable import ServiceKit

/// Chunks handed out one at a time, counting how many were taken, so a test can see what
/// the reader had consumed when it returned something.
final class CountingChunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let chunks: [[UInt8]]
    let taken = Mutex(0)

    init(_ chunks: [[UInt8]]) { self.chunks = chunks }

    func makeAsyncIterator() -> Iterator { Iterator(source: self) }

    struct Iterator: AsyncIteratorProtocol {
        let source: CountingChunks
        mutating func next() async throws -> [UInt8]? {
            source.taken.withLock { taken in
                guard taken < source.chunks.count else { return nil }
                taken += 1
                return source.chunks[taken - 1]
            }
        }
    }
}

@Suite struct MultipartReaderTests {
    static let body = bytes("--B\r\nContent-Disposition: form-data; name=\"skip\"\r\n\r\n")
        + Array(repeating: 0x73, count: 5000)
        + bytes("\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n")
        + Array(repeating: 0x66, count: 3000)
        + bytes("\r\n--B\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n7\r\n--B--\r\n")

    static func chunked(_ bytes: [UInt8], size: Int) -> [[UInt8]] {
        stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
    }

    @Test func partsArriveAsTheBodyStreamsAndUnreadPartsAreSkipped() async throws {
        let source = CountingChunks(Self.chunked(Self.body, size: 100))
        var reader = MultipartReader(body: source, parser: try MultipartParser(boundary: "B"))
        let first = try #require(try await reader.nextPart())
        #expect(first.name == "skip")
        #expect(source.taken.withLock { $0 } == 1, "the first head needs only the first chunk")
        let second = try #require(try await reader.nextPart())
        #expect(second.name == "file" && second.filename == "a.txt" && reader.currentPart == second)
        var streamed: [[UInt8]] = []
        while let chunk = try await reader.nextBodyChunk() { streamed.append(chunk) }
        #expect(streamed.count > 1, "the file's body came in several chunks")
        #expect(streamed.joined().elementsEqual(repeatElement(0x66, count: 3000)))
        #expect(try await reader.nextBodyChunk() == nil)
        #expect(try await reader.nextPart()?.name == "n")
        #expect(try await reader.collectBody(upTo: 1) == bytes("7"))
        #expect(try await reader.nextPart() == nil)
        #expect(reader.currentPart == nil)
    }

    @Test func collectPartsAndThePerCallCap() async throws {
        var reader = MultipartReader(body: CountingChunks([Self.body]), parser: try MultipartParser(boundary: "B"))
        let parts = try await reader.collectParts()
        #expect(parts.map(\.head.name) == ["skip", "file", "n"])
        #expect(parts.map(\.body.count) == [5000, 3000, 1])

        var capped = MultipartReader(body: CountingChunks(Self.chunked(Self.body, size: 7)), parser: try MultipartParser(boundary: "B"))
        _ = try await capped.nextPart()
        do {
            _ = try await capped.collectBody(upTo: 4999)
            Issue.record("a part over the cap was collected")
        } catch let error as ServiceError {
            #expect(error.status == .payloadTooLarge)
            #expect(error.message == "multipart part 'skip' exceeds 4999 bytes")
        }
    }

    @Test func parserErrorsAndTruncatedBodiesAreServiceErrors() async throws {
        var truncated = MultipartReader(body: CountingChunks([Array(Self.body.prefix(6000))]), parser: try MultipartParser(boundary: "B"))
        await #expect(throws: ServiceError.self) { _ = try await truncated.collectParts() }
        var limits = MultipartLimits()
        limits.maxTotalBytes = 1000
        var large = MultipartReader(body: CountingChunks(Self.chunked(Self.body, size: 100)), parser: try MultipartParser(boundary: "B", limits: limits))
        do {
            _ = try await large.collectParts()
            Issue.record("a body over the total limit was read")
        } catch let error as ServiceError {
            #expect(error.status == .payloadTooLarge && error.message == "multipart body exceeds 1000 bytes")
        }
    }

    // MARK: - Through a service: each error in the API's envelope

    struct Detail: Decodable { var detail: String }

    func app(limits: MultipartLimits) -> Application {
        let router = Router()
        router.post("/upload") { request in
            var form = try request.multipart(limits: limits)
            var names: [String] = []
            while let part = try await form.nextPart() {
                names.append("\(part.name)=\(try await form.collectBody(upTo: 100).count)")
            }
            return .text(names.joined(separator: ","))
        }
        var definition = ServiceDefinition(router: router, envelope: .detail)
        definition.requireInternalToken = false
        return Application(testing: definition)
    }

    @Test func requestsAreAnsweredInTheServiceEnvelope() async throws {
        var limits = MultipartLimits()
        limits.maxParts = 2
        let app = app(limits: limits)
        let form: HTTPHeaders = ["Content-Type": "multipart/form-data; boundary=\"B\""]
        let ok = await app.call(.POST, "/upload", headers: form, body: MultipartParserTests.parts(2, bodyBytes: 3))
        #expect(ok.status == 200 && ok.text == "p0=3,p1=3")

        let cases: [(HTTPHeaders, [UInt8], Int, String)] = [
            (form, MultipartParserTests.parts(3), 413, "multipart body has more than 2 parts"),
            (form, MultipartParserTests.parts(1, bodyBytes: 101), 413, "multipart part 'p0' exceeds 100 bytes"),
            (form, bytes("--B\r\nContent-Disposition: form-data\r\n\r\nv\r\n--B--"), 400, "multipart part has no name in its Content-Disposition"),
            (form, bytes("--B\r\nContent-Disposition: form-data; name=a\r\n\r\nv"), 400, "multipart body ended before its closing --B--"),
            (["Content-Type": "multipart/form-data"], [], 400, "multipart/form-data without a boundary parameter"),
            (["Content-Type": "text/plain"], [], 415, "Content-Type is not multipart/form-data"),
        ]
        for (headers, body, status, message) in cases {
            let response = await app.call(.POST, "/upload", headers: headers, body: body)
            #expect(response.status == status, "\(message): \(response.text)")
            #expect(try response.json(Detail.self).detail == message)
        }
    }
}
