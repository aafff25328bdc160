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
