import Foundation
import HTTPCore
import JSON
import Testing
@testable import ServiceKit

private struct Ordered: Codable, Equatable { var zulu: Int; var alpha: String; var mike: Bool }

@Suite struct JSONFacadeTests {
    @Test func jsonHelpersUseTheWriter() throws {
        let v = Ordered(zulu: 1, alpha: "a", mike: true)
        #expect(try JSON.encode(v) == JSONWriter.encode(v))
        guard case .bytes(let body) = HTTPResponse.json(v).body else { Issue.record("not a byte body"); return }
        #expect(body == Array(#"{"zulu":1,"alpha":"a","mike":true}"#.utf8))
        #expect(try JSON.decode(Ordered.self, from: JSON.encode(v, pretty: true)) == v)
        #expect(throws: EncodingError.self) { try JSON.encode(["x": Double.nan]) }
    }
}

private struct Body: Codable, Equatable { var name: String; var files: [String: String] }

@Suite struct StrictBodyDecodingTests {
    func app() -> Application {
        let r = Router()
        r.post("/json") { req in .json(try await req.decodeJSON(Body.self, limit: 1000)) }
        var d = ServiceDefinition(router: r, envelope: .codeDescription)
        d.requireInternalToken = false
        return Application(testing: d)
    }

    @Test func requestBodiesGoThroughTheStrictParser() async throws {
        let a = app()
        let ok = await a.call(.POST, "/json", body: Array(#"{"name":"n","files":{"a.py":"x"}}"#.utf8))
        #expect(ok.status == 200)
        #expect(try ok.json(Body.self) == Body(name: "n", files: ["a.py": "x"]))
        let field = await a.call(.POST, "/json", body: Array(#"{"name":"n","files":{"a.py":1}}"#.utf8))
        #expect(field.status == 400)
        #expect(field.text == #"{"code":400,"description":"field 'files.a.py': expected a string"}"#)
        // What Foundation would let through, the strict parser refuses, saying where.
        let trailing = await a.call(.POST, "/json", body: Array(#"{"name":"n","files":{},}"#.utf8))
        #expect(trailing.status == 400)
        #expect(trailing.text.contains("not valid JSON: trailing comma at byte 23"))
        let duplicate = await a.call(.POST, "/json", body: Array(#"{"name":"n","name":"m","files":{}}"#.utf8))
        #expect(duplicate.status == 400)
        #expect(duplicate.text.contains(#"duplicate key \"name\" at byte 12"#))
        let lone = await a.call(.POST, "/json", body: Array(#"{"name":"\ud800","files":{}}"#.utf8))
        #expect(lone.status == 400)
        // The body limit stays the server's (413), not the parser's.
        let big = await a.call(.POST, "/json", body: Array(repeating: 0x20, count: 2000))
        #expect(big.status == 413)
    }

    @Test func envelopesAndLogLinesUseTheOneEscaper() async throws {
        let message = "bad \"x\"\n\u{8}\u{1} /path é"
        for envelope in [ErrorEnvelope.codeDescription, .detail, .coder, .morpheo] {
            guard case .bytes(let body) = envelope.render(.badRequest(message)).body else { Issue.record("not bytes"); continue }
            #expect(String(decoding: body, as: UTF8.self).contains(JSONEscaper.quoted(message)), "\(envelope)")
            let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
            #expect(object?.values.contains { $0 as? String == message } == true, "\(envelope)")
        }
        let coder = ErrorEnvelope.coder.render(ServiceError(.badRequest, "m", detail: "d", validations: [(field: "f", detail: "v")]))
        guard case .bytes(let coderBody) = coder.body else { Issue.record("not bytes"); return }
        #expect(String(decoding: coderBody, as: UTF8.self) == #"{"message":"m","detail":"d","validations":[{"field":"f","detail":"v"}]}"#)

        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let logger = Logger(service: "svc", level: .info, sink: LogSink(fd: fds[1]))
        logger.error(message, requestID: "r1", [("key\"", message), ("n", 3), ("ok", true), ("d", 1.0)])
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(fds[0], &buffer, buffer.count)
        let line = Array(buffer[0..<max(0, n)])
        #expect(line.last == 0x0A)
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.contains(#","msg":"# + JSONEscaper.quoted(message)))
        #expect(text.contains(#""fields":{"key\"":"# + JSONEscaper.quoted(message) + #","n":3,"ok":true,"d":1.0}"#))
        let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
        #expect(object?["msg"] as? String == message)
        #expect(object?["service"] as? String == "svc")
    }
}
