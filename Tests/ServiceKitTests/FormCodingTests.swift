import HTTPCore
import Testing
@testable import ServiceKit

@Suite struct FormCodingTests {
    func pairs(_ text: String) -> [[String]] {
        FormCoding.parse(text).map { [$0.0, $0.1] }
    }

    @Test func splittingFollowsTheURLStandard() {
        #expect(pairs("") == [])
        #expect(pairs("&&&") == [])
        #expect(pairs("a=1&&b=2&") == [["a", "1"], ["b", "2"]])
        #expect(pairs("k") == [["k", ""]])
        #expect(pairs("k=") == [["k", ""]])
        #expect(pairs("=v") == [["", "v"]])
        #expect(pairs("=") == [["", ""]])
        #expect(pairs("a=b=c") == [["a", "b=c"]])
        #expect(pairs("a=1&a=2") == [["a", "1"], ["a", "2"]])
        #expect(pairs("x=;&y=?/#") == [["x", ";"], ["y", "?/#"]])
    }

    @Test func escapesAndPlus() {
        #expect(pairs("a+b=c+d") == [["a b", "c d"]])
        #expect(pairs("v=%2B%20+%26%3D") == [["v", "+  &="]])
        #expect(pairs("v=%C3%A9t%C3%a9") == [["v", "été"]])
        #expect(pairs("v=%zz%4%") == [["v", "%zz%4%"]])
        #expect(pairs("v=%%41") == [["v", "%A"]])
        #expect(pairs("v=é raw") == [["v", "é raw"]])
        #expect(FormCoding.percentDecode("a+b%20c") == "a+b c")
        #expect(FormCoding.percentDecode("a+b", plusAsSpace: true) == "a b")
    }

    @Test func invalidUTF8IsKeptAsBytesAndReplacedInText() {
        let fields = FormCoding.fields(Array("current_file=x%FF%FE&n=%C3%28".utf8))
        #expect(fields == [FormCoding.Field(name: Array("current_file".utf8), value: [0x78, 0xFF, 0xFE]),
                           FormCoding.Field(name: Array("n".utf8), value: [0xC3, 0x28])])
        #expect(pairs("v=%FF") == [["v", "\u{FFFD}"]])
    }

    @Test func encodingRoundTrips() {
        let text = "a b&c=d+e%f/é\u{1F600}\n~._-"
        let encoded = FormCoding.percentEncode(text)
        #expect(encoded == "a%20b%26c%3Dd%2Be%25f%2F%C3%A9%F0%9F%98%80%0A~._-")
        #expect(pairs("k=\(encoded)") == [["k", text]])
        let every = (0...255).map { UInt8($0) }
        let escaped = every.map { String(format: "%%%02X", $0) }.joined()
        #expect(FormCoding.fields(Array("k=\(escaped)".utf8)).first?.value == every)
    }

    // MARK: - Decoding into types

    enum Mode: String, Decodable { case fast, slow }

    struct Query: Decodable, Equatable {
        var name: String
        var count: Int
        var ratio: Double?
        var verbose: Bool?
        var tags: [String]?
        var ids: [Int]?
        var mode: Mode?
        var small: Int8?
    }

    func decode(_ text: String) throws -> Query { try FormCoding.decode(Query.self, from: FormCoding.parse(text)) }

    func failure(_ text: String) -> ServiceError? {
        do {
            _ = try decode(text)
            return nil
        } catch {
            return error as? ServiceError
        }
    }

    @Test func decodesScalarsListsAndOptionals() throws {
        #expect(try decode("name=ann&count=3") == Query(name: "ann", count: 3))
        let full = try decode("name=a+b&count=-2&ratio=0.5&verbose=on&tags=x&tags=y&ids=1&ids=2&mode=slow&small=127&extra=ignored")
        #expect(full == Query(name: "a b", count: -2, ratio: 0.5, verbose: true, tags: ["x", "y"], ids: [1, 2], mode: .slow, small: 127))
        // The first value wins for a scalar.
        #expect(try decode("count=1&name=a&count=2").count == 1)
        for (text, value) in [("1", true), ("yes", true), ("TRUE", true), ("0", false), ("off", false), ("No", false)] {
            #expect(try decode("name=a&count=0&verbose=\(text)").verbose == value)
        }
    }

    @Test func failuresAre400NamingTheField() {
        let cases: [(String, String)] = [
            ("count=1", "missing field 'name'"),
            ("name=a", "missing field 'count'"),
            ("name=a&count=x", "field 'count': expected an integer"),
            ("name=a&count=", "field 'count': expected an integer"),
            ("name=a&count=1.5", "field 'count': expected an integer"),
            ("name=a&count=99999999999999999999", "field 'count': expected an integer"),
            ("name=a&count=1&small=128", "field 'small': expected an integer"),
            ("name=a&count=1&ratio=nan", "field 'ratio': expected a number"),
            ("name=a&count=1&ratio=inf", "field 'ratio': expected a number"),
            ("name=a&count=1&verbose=maybe", "field 'verbose': expected a boolean"),
            ("name=a&count=1&ids=1&ids=b", "field 'ids': expected an integer"),
            ("name=a&count=1&mode=medium", "field 'mode'"),
        ]
        for (text, message) in cases {
            let error = failure(text)
            #expect(error?.status == .badRequest, "\(text)")
            #expect(error?.message.hasPrefix(message) == true, "\(text): \(error?.message ?? "accepted")")
        }
    }

    @Test func nestedObjectsAreRefused() {
        struct Outer: Decodable { struct Inner: Decodable { var x: Int }; var inner: Inner }
        #expect(throws: ServiceError.self) { try FormCoding.decode(Outer.self, from: [("inner", "1")]) }
    }

    @Test func requestBodiesAndQueries() async throws {
        struct Login: Decodable { var user: String; var remember: Bool }
        let router = Router()
        router.post("/login") { request in
            let login = try await request.decodeForm(Login.self, limit: 64)
            return .text("\(login.user)|\(login.remember)")
        }
        router.get("/search") { request in
            struct Search: Decodable { var q: String; var page: Int? }
            let search = try request.decodeQuery(Search.self)
            return .text("\(search.q)|\(search.page ?? 1)|\(request.query("q") ?? "-")")
        }
        var definition = ServiceDefinition(router: router, envelope: .detail)
        definition.requireInternalToken = false
        let app = Application(testing: definition)
        let form: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded"]
        #expect(await app.call(.POST, "/login", headers: form, body: Array("user=J%C3%B6+D&remember=1".utf8)).text == "Jö D|true")
        let missing = await app.call(.POST, "/login", headers: form, body: Array("user=x".utf8))
        #expect(missing.status == 400 && missing.text.contains("missing field 'remember'"))
        let large = await app.call(.POST, "/login", headers: form, body: Array(repeating: 0x61, count: 65))
        #expect(large.status == 413)
        #expect(await app.call(.GET, "/search?q=a%26b+c&page=2").text == "a&b c|2|a&b c")
        let bad = await app.call(.GET, "/search?q=x&page=two")
        #expect(bad.status == 400 && bad.text.contains("'page'"))
    }
}
