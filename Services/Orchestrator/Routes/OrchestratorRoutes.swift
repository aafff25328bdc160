import Contracts
import HTTPCore
import JSON
import ServiceKit

/// The HTTP surface: every route in one place, auth and body checks, then the store.
///
/// Routes use parameters at each depth (rather than literal collection names) so that an
/// unknown collection or uplet type answers Morpheo's 404 `Page does not exist`.
struct OrchestratorAPI: Sendable {
    let store: OrchestratorStore
    let onQueued: @Sendable () -> Void

    static let computeRoles = ["compute"]
    static let userRoles = ["user", "admin"]

    func register(on router: Router) {
        router.get("/{collection}") { try await self.list($0) }
        router.get("/{collection}/{uuid}") { try await self.get($0) }
        router.post("/{collection}") { req in
            switch try req.parameter("collection") {
            case "problem": return try await self.postProblem(req)
            case "algo": return try await self.postAlgo(req)
            case "data": return try await self.postData(req)
            case "prediction": return try await self.postPrediction(req)
            default: try Self.authorize(req, Self.userRoles); throw Failure.pageNotFound
            }
        }
        router.post("/{collection}/{uuid}") { req in
            switch try req.parameter("collection") {
            case "learndone": return try await self.learnDone(req)
            case "preddone": return try await self.predDone(req)
            default: try Self.authorize(req, Self.userRoles); throw Failure.pageNotFound
            }
        }
        router.post("/{collection}/{uuid}/{id}") { req in
            guard try req.parameter("collection") == "worker" else {
                try Self.authorize(req, Self.userRoles)
                throw Failure.pageNotFound
            }
            return try await self.setWorker(req)
        }
    }

    // MARK: - Auth and bodies

    /// 401 (with Morpheo's Basic challenge) without identity, 403 without one of `roles`.
    static func authorize(_ req: Request, _ roles: [String]) throws {
        try req.require(roles: roles, challenge: "Basic realm=\"morpheo\"")
    }

    /// How bodies are parsed: the strict parser, a repeated key keeping its last value
    /// (as the original's Flask did).
    static let parser = JSONParser(options: JSONParserOptions(duplicateKeys: .keepLast))

    /// The body as a JSON object; 400 otherwise.
    static func object(_ req: Request) async throws -> JSONObject {
        let bytes = try await req.body()
        guard let v = try? parser.parse(bytes), case .object(let o) = v else { throw Failure.notAnObject }
        return o
    }

    /// A required non-empty string key.
    static func string(_ o: JSONObject, _ key: String) throws -> String {
        guard let s = o[key]?.string, !s.isEmpty else { throw Failure.wrongKey }
        return s
    }

    // MARK: - Reads

    func list(_ req: Request) async throws -> HTTPResponse {
        try Self.authorize(req, Self.userRoles)
        guard let c = Collection(rawValue: try req.parameter("collection")) else { throw Failure.pageNotFound }
        return .rawJSON(try await store.list(c, filters: req.queryItems))
    }

    func get(_ req: Request) async throws -> HTTPResponse {
        try Self.authorize(req, Self.userRoles)
        guard let c = Collection(rawValue: try req.parameter("collection")),
              let doc = try await store.document(c, uuid: try req.parameter("uuid"))
        else { throw Failure.pageNotFound }
        return .rawJSON(doc)
    }

    // MARK: - Creation

    func postProblem(_ req: Request) async throws -> HTTPResponse {
        try Self.authorize(req, Self.userRoles)
        let o = try await Self.object(req)
        let uuid = try Self.string(o, "uuid")
        let workflow = try Self.string(o, "workflow")
        guard let test = o["test_dataset"]?.strings, let size = o["size_train_dataset"]?.integer, size >= 1 else { throw Failure.wrongKey }
        let doc = try await store.createProblem(uuid: uuid, workflow: workflow, testDataset: test, size: size)
        return Self.created(key: "new_problem", doc)
    }

    func postAlgo(_ req: Request) async throws -> HTTPResponse {
        try Self.authorize(req, Self.userRoles)
        let o = try await Self.object(req)
        let uuid = try Self.string(o, "uuid")
        let name = try Self.string(o, "name")
        let problem = try Self.string(o, "problem")
        let (doc, n) = try await store.createAlgo(uuid: uuid, name: name, problem: problem)
        if n > 0 { onQueued() }
        var w = JSONBuilder()
        w.raw("{\"new_algo\":"); w.bytes += doc
        w.raw(",\"new_learnuplets\":"); w.int(n); w.raw("}")
        return .rawJSON(w.bytes, status: .created)
    }

    func postData(_ req: Request) async throws -> HTTPResponse {
        try Self.authorize(req, Self.userRoles)
        let o = try await Self.object(req)
        guard let uuids = o["uuid"]?.stringOrStrings, !uuids.isEmpty, !uuids.contains(where: \.isEmpty),
              let problems = o["problems"]?.stringOrStrings, !problems.contains(where: \.isEmpty)
        else { throw Failure.wrongKey }
        let (docs, n) = try await store.createData(uuids: uuids, problems: problems)
        if n > 0 { onQueued() }
        var w = JSONBuilder(capacity: docs.count + 48)
        w.raw("{\"new_datas\":"); w.bytes += docs
        w.raw(",\"new_learnuplets\":"); w.int(n); w.raw("}")
        return .rawJSON(w.bytes, status: .created)
    }

    func postPrediction(_ req: Request) async throws -> HTTPResponse {
        try Self.authorize(req, Self.userRoles)
        let o = try await Self.object(req)
        guard let dataValue = o["data"], o["problem"] != nil else { throw Failure.wrongKey }
        guard let data = dataValue.string, !data.isEmpty else { throw Failure.dataNotUUID }
        let problem = try Self.string(o, "problem")
        let doc = try await store.requestPrediction(data: data, problem: problem)
        onQueued()
        return .rawJSON(doc, status: .created)
    }

    // MARK: - Compute

    func setWorker(_ req: Request) async throws -> HTTPResponse {
        try Self.authorize(req, Self.computeRoles)
        guard let type = UpletType(rawValue: try req.parameter("uuid")) else { throw Failure.pageNotFound }
        let id = try req.parameter("id")
        let o = try await Self.object(req)
        let worker = try Self.string(o, "worker")
        switch try await store.claims.claim(type, id: id, worker: worker) {
        case .won: return Self.answer(key: "\(type.rawValue)_worker_set", id)
        case .notFound: throw Failure.pageNotFound
        case .lost:
            // The losing answer is a common one under contention: written here rather
            // than thrown and rendered by the error middleware (same bytes).
            var w = JSONBuilder()
            w.raw("{\"Error\":"); w.string(Failure.workerNotSet(type, id).message); w.raw("}")
            return .rawJSON(w.bytes, status: .badRequest)
        }
    }

    func learnDone(_ req: Request) async throws -> HTTPResponse {
        try Self.authorize(req, Self.computeRoles)
        let id = try req.parameter("uuid")
        let o = try await Self.object(req)
        guard let status = o["status"]?.string, status == "done" || status == "failed" else { throw Failure.wrongKey }
        var result = OrchestratorStore.LearnResult(status: status)
        if status == "done" {
            guard let perf = o["perf"]?.number, perf.isFinite,
                  let train = Self.perfObject(o["train_perf"]), let test = Self.perfObject(o["test_perf"])
            else { throw Failure.wrongKey }
            result.perf = perf
            result.trainPerf = train
            result.testPerf = test
        } else {
            result.perf = o["perf"]?.number.flatMap { $0.isFinite ? $0 : nil }
            result.trainPerf = Self.perfObject(o["train_perf"])
            result.testPerf = Self.perfObject(o["test_perf"])
        }
        try await store.learnDone(id: id, result: result)
        onQueued()
        return Self.answer(key: "updated_learnuplet", id)
    }

    func predDone(_ req: Request) async throws -> HTTPResponse {
        try Self.authorize(req, Self.computeRoles)
        let id = try req.parameter("uuid")
        let o = try await Self.object(req)
        guard let status = o["status"]?.string, status == "done" || status == "failed" else { throw Failure.wrongKey }
        var storage: String?
        if status == "done" {
            storage = try Self.string(o, "prediction_storage_uuid")
        } else {
            storage = o["prediction_storage_uuid"]?.string
        }
        try await store.predDone(id: id, status: status, storageUUID: storage)
        return Self.answer(key: "updated_preduplet", id)
    }

    // MARK: - Answers

    /// An object of data-id → number, as JSON text with its keys sorted (stable output);
    /// nil when it is not one.
    static func perfObject(_ v: JSONValue?) -> String? {
        guard case .object(let o)? = v else { return nil }
        for value in o.values {
            guard let n = value.number, n.isFinite else { return nil }
        }
        return JSONValue.object(o.sortedByKey()).serializedText
    }

    static func created(key: String, _ doc: [UInt8]) -> HTTPResponse {
        var w = JSONBuilder(capacity: doc.count + 32)
        w.raw("{"); w.string(key); w.raw(":"); w.bytes += doc; w.raw("}")
        return .rawJSON(w.bytes, status: .created)
    }

    static func answer(key: String, _ id: String) -> HTTPResponse {
        var w = JSONBuilder()
        w.raw("{"); w.string(key); w.raw(":"); w.string(id); w.raw("}")
        return .rawJSON(w.bytes)
    }
}
