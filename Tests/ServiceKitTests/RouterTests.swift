import HTTPCore
import Testing
@testable import ServiceKit
import TestSupport

@Suite struct RouterTests {
    func handler(_ tag: String) -> Handler { { req in .text("\(tag) \(req.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))") } }

    func app(_ build: (Router) -> Void, envelope: ErrorEnvelope = .detail) -> Application {
        let r = Router()
        build(r)
        var d = ServiceDefinition(router: r, envelope: envelope)
        d.requireInternalToken = false
        return Application(testing: d)
    }

    @Test func literalsParametersAndCatchAll() async {
        let a = app { r in
            r.get("/tasks", handler("list"))
            r.get("/tasks/{id}", handler("one"))
            r.get("/tasks/{id}/export", handler("export"))
            r.get("/tasks/validate", handler("validate-get"))
            r.get("/api/**", handler("mount"))
            r.get("/api/v2/aibridge/**", handler("bridge"))
        }
        #expect(await a.call(.GET, "/tasks").text == "list ")
        #expect(await a.call(.GET, "/tasks/42").text == "one id=42")
        #expect(await a.call(.GET, "/tasks/a%20b").text == "one id=a b")
        #expect(await a.call(.GET, "/tasks/7/export").text == "export id=7")
        #expect(await a.call(.GET, "/tasks/validate").text == "validate-get ")
        #expect(await a.call(.GET, "/api/v2/aibridge/models").text == "bridge **=models")
        #expect(await a.call(.GET, "/api/tasks/1").text == "mount **=tasks/1")
        #expect(await a.call(.GET, "/tasks/1?x=y").text == "one id=1")
    }

    @Test func notFoundAndMethodNotAllowedUseTheEnvelope() async throws {
        let a = app({ r in
            r.get("/x", handler("x"))
            r.post("/x", handler("x"))
        }, envelope: .codeDescription)
        let nf = await a.call(.GET, "/nope")
        #expect(nf.status == 404)
        let obj = try #require(nf.object)
        #expect(obj["code"] as? Int == 404)
        #expect((obj["description"] as? String)?.contains("/nope") == true)
        let na = await a.call(.DELETE, "/x")
        #expect(na.status == 405)
        #expect(na.headers["Allow"] == "GET, HEAD, POST")
        #expect(try #require(na.object)["code"] as? Int == 405)
        #expect(await a.call(.HEAD, "/x").status == 200)
    }

    @Test func eachEnvelopeHasItsShape() async throws {
        let thrower: Handler = { _ in throw ServiceError(.conflict, "already exists", detail: "d", validations: [("f", "bad")]) }
        for (env, key) in [(ErrorEnvelope.codeDescription, "description"), (.detail, "detail"), (.coder, "message"), (.morpheo, "Error")] {
            let a = app({ $0.get("/e", thrower) }, envelope: env)
            let r = await a.call(.GET, "/e")
            #expect(r.status == 409)
            let o = try #require(r.object)
            #expect(o[key] as? String == (key == "detail" ? "already exists" : "already exists") || env == .coder && o["message"] as? String == "already exists")
            if env == .coder {
                let v = try #require(o["validations"] as? [[String: String]])
                #expect(v == [["field": "f", "detail": "bad"]])
            }
        }
    }

    @Test func envelopeKeysFollowTheDocumentedOrder() async {
        let thrower: Handler = { _ in throw ServiceError(.badRequest, "bad \"input\"\n", detail: "why", validations: [("q", "no")]) }
        let expected: [(ErrorEnvelope, String)] = [
            (.codeDescription, #"{"code":400,"description":"bad \"input\"\n"}"#),
            (.detail, #"{"detail":"bad \"input\"\n"}"#),
            (.coder, #"{"message":"bad \"input\"\n","detail":"why","validations":[{"field":"q","detail":"no"}]}"#),
            (.morpheo, #"{"Error":"bad \"input\"\n"}"#),
        ]
        for (env, body) in expected {
            let a = app({ $0.get("/e", thrower) }, envelope: env)
            #expect(await a.call(.GET, "/e").text == body)
        }
    }

    @Test func unexpectedErrorsAre500WithoutInternals() async throws {
        struct Secret: Error {}
        let a = app { $0.get("/boom") { _ in throw Secret() } }
        let r = await a.call(.GET, "/boom")
        #expect(r.status == 500)
        #expect(!r.text.contains("Secret"))
        #expect(r.text.contains("request id"))
    }
}

@Suite struct DecodingTests {
    struct Body: Codable, Equatable { var name: String; var count: Int; var tags: [String]? }
    struct Query: Codable, Equatable { var page: Int?; var limit: Int?; var status: String?; var flag: Bool? }

    func app() -> Application {
        let r = Router()
        r.post("/json") { req in .json(try await req.decodeJSON(Body.self, limit: 100)) }
        r.get("/query") { req in .json(try req.decodeQuery(Query.self)) }
        r.post("/form") { req in .json(try await req.decodeForm(Body.self)) }
        var d = ServiceDefinition(router: r, envelope: .detail)
        d.requireInternalToken = false
        return Application(testing: d)
    }

    @Test func jsonErrorsNameTheField() async throws {
        let a = app()
        let ok = await a.call(.POST, "/json", body: Array(#"{"name":"a","count":2}"#.utf8))
        #expect(try ok.json(Body.self) == Body(name: "a", count: 2))
        let missing = await a.call(.POST, "/json", body: Array(#"{"name":"a"}"#.utf8))
        #expect(missing.status == 400)
        #expect(missing.text.contains("missing field 'count'"))
        let wrong = await a.call(.POST, "/json", body: Array(#"{"name":"a","count":"x"}"#.utf8))
        #expect(wrong.status == 400)
        #expect(wrong.text.contains("'count': expected an integer"))
        let nested = await a.call(.POST, "/json", body: Array(#"{"name":"a","count":1,"tags":[1]}"#.utf8))
        #expect(nested.text.contains("tags[0]"))
        let notJSON = await a.call(.POST, "/json", body: Array("{oops".utf8))
        #expect(notJSON.status == 400)
        #expect(notJSON.text.contains("not valid JSON"))
        let empty = await a.call(.POST, "/json")
        #expect(empty.status == 400)
        let big = await a.call(.POST, "/json", body: Array(repeating: 0x20, count: 200))
        #expect(big.status == 413)
    }

    @Test func queryAndFormDecoding() async throws {
        let a = app()
        let q = await a.call(.GET, "/query?page=2&limit=10&status=draft&flag=true")
        #expect(try q.json(Query.self) == Query(page: 2, limit: 10, status: "draft", flag: true))
        let bad = await a.call(.GET, "/query?page=two")
        #expect(bad.status == 400)
        #expect(bad.text.contains("page"))
        let f = await a.call(.POST, "/form", body: Array("name=a+b%21&count=3&tags=x&tags=y".utf8))
        #expect(try f.json(Body.self) == Body(name: "a b!", count: 3, tags: ["x", "y"]))
    }
}

@Suite struct BuiltInRoutesTests {
    @Test func healthAndMetricsWinOverParameterRoutes() async {
        let r = Router()
        r.get("/{collection}") { req in .text("collection \(try req.parameter("collection"))") }
        var d = ServiceDefinition(router: r, envelope: .morpheo)
        d.requireInternalToken = false
        let a = Application(testing: d)
        #expect(await a.call(.GET, "/health").text == #"{"status":"healthy"}"#)
        #expect(await a.operatorMetrics().contains("# TYPE"))
        #expect(await a.call(.GET, "/problem").text == "collection problem")
    }
}
