import Contracts
import HTTPCore
import JSON
import ServiceKit

/// The service's OpenAPI 3.1 document (ServiceKit's `OpenAPIDocument`): every collection's
/// list and document, the POST routes and the compute API, with schemas derived from the
/// contract types (`OrchestratorAPI`, errors `MorpheoError`) by encoding a sample with every
/// optional set and one with every optional `null`. Served at `/openapi.json`.
enum OrchestratorOpenAPI {
    typealias API = OrchestratorAPI
    typealias Schema = OpenAPISchema

    /// Overrides for what one sample cannot show: the status enum, performance maps.
    static let overrides: [String: JSONValue] = [
        "status": Schema.ref("Status"),
        "train_perf": Schema.map(Schema.number(), "performance by data id"),
        "test_perf": Schema.map(Schema.number(), "performance by data id"),
    ]

    /// Sample ids and times.
    static let id = "7a7e24a8-5c5b-4b8c-9f3a-1d2e3f405162"
    static let time = 1_767_225_600

    static let problem = API.Problem(uuid: id, workflow: id, testDataset: [id], sizeTrainDataset: 2, timestampUpload: time)
    static let algo = API.Algo(uuid: id, problem: id, name: "algo", timestampUpload: time)
    static let data = API.Data(uuid: id, problems: [id], timestampUpload: time)
    static func learnuplet(full: Bool) -> API.Learnuplet {
        API.Learnuplet(uuid: id, problem: id, workflow: id, algo: id, modelStart: full ? id : nil, modelEnd: id, trainData: [id],
                       testData: [id], worker: full ? id : nil, perf: full ? 0.5 : nil, trainPerf: full ? [id: 0.5] : nil,
                       testPerf: full ? [id: 0.5] : nil, status: .done, rank: 0, timestampCreation: time, timestampDone: full ? time : nil)
    }
    static func preduplet(full: Bool) -> API.Preduplet {
        API.Preduplet(uuid: id, data: id, problem: id, workflow: id, model: id, status: .done, worker: full ? id : nil,
                      timestampRequest: time, timestampDone: full ? time : nil, predictionStorageUUID: full ? id : nil)
    }

    /// The component schemas, by contract type name.
    static let schemas: [(name: String, schema: JSONValue)] = [
        ("Status", Schema.choice(["todo", "pending", "done", "failed"])),
        ("Problem", Schema.derived(problem)),
        ("Algo", Schema.derived(algo)),
        ("Data", Schema.derived(data)),
        ("Learnuplet", Schema.derived(full: learnuplet(full: true), minimal: learnuplet(full: false), overrides: overrides)),
        ("Preduplet", Schema.derived(full: preduplet(full: true), minimal: preduplet(full: false), overrides: overrides)),
        ("ProblemList", Schema.object([("problems", Schema.array(Schema.ref("Problem")))], required: ["problems"])),
        ("AlgoList", Schema.object([("algos", Schema.array(Schema.ref("Algo")))], required: ["algos"])),
        ("DataList", Schema.object([("datas", Schema.array(Schema.ref("Data")))], required: ["datas"])),
        ("LearnupletList", Schema.object([("learnuplets", Schema.array(Schema.ref("Learnuplet")))], required: ["learnuplets"])),
        ("PredupletList", Schema.object([("preduplets", Schema.array(Schema.ref("Preduplet")))], required: ["preduplets"])),
        ("CreateProblemRequest", Schema.derived(API.CreateProblemRequest(uuid: id, workflow: id, testDataset: [id], sizeTrainDataset: 2))),
        ("CreateProblemResponse", Schema.object([("new_problem", Schema.ref("Problem"))], required: ["new_problem"])),
        ("CreateAlgoRequest", Schema.derived(API.CreateAlgoRequest(uuid: id, name: "algo", problem: id))),
        ("CreateAlgoResponse", Schema.derived(API.CreateAlgoResponse(newAlgo: algo, newLearnuplets: 1), overrides: ["new_algo": Schema.ref("Algo")])),
        ("CreateDataRequest", Schema.derived(API.CreateDataRequest(uuid: [id], problems: [id]), overrides: [
            "uuid": Schema.anyOf([Schema.string(), Schema.array(Schema.string())]),
            "problems": Schema.anyOf([Schema.string(), Schema.array(Schema.string())]),
        ])),
        ("CreateDataResponse", Schema.derived(API.CreateDataResponse(newDatas: [data], newLearnuplets: 1),
                                              overrides: ["new_datas": Schema.array(Schema.ref("Data"))])),
        ("PredictionRequest", Schema.derived(API.PredictionRequest(data: id, problem: id))),
        ("SetWorkerRequest", Schema.derived(API.SetWorkerRequest(worker: id))),
        ("SetWorkerResponse", Schema.derived(full: API.SetWorkerResponse(learnupletWorkerSet: id, predupletWorkerSet: id),
                                             minimal: API.SetWorkerResponse())),
        ("LearnDoneRequest", Schema.derived(full: API.LearnDoneRequest(status: .done, perf: 0.5, trainPerf: [id: 0.5], testPerf: [id: 0.5]),
                                            minimal: API.LearnDoneRequest(status: .failed), overrides: overrides)),
        ("LearnDoneResponse", Schema.derived(API.LearnDoneResponse(updatedLearnuplet: id))),
        ("PredDoneRequest", Schema.derived(full: API.PredDoneRequest(status: .done, predictionStorageUUID: id),
                                           minimal: API.PredDoneRequest(status: .failed), overrides: overrides)),
        ("PredDoneResponse", Schema.derived(API.PredDoneResponse(updatedPreduplet: id))),
    ]

    /// The collections: path segment, document schema, list schema.
    static let collections: [(segment: String, document: String, list: String)] = [
        ("problem", "Problem", "ProblemList"), ("algo", "Algo", "AlgoList"), ("data", "Data", "DataList"),
        ("learnuplet", "Learnuplet", "LearnupletList"), ("preduplet", "Preduplet", "PredupletList"),
    ]

    /// A POST with a JSON body, answering `status` with `answer`.
    static func post(_ path: String, _ summary: String, tag: String, body: String, answer: String, status: Int = 200) -> OpenAPIOperation {
        OpenAPIOperation(.POST, path, summary: summary, tags: [tag], requestBody: .json(Schema.ref(body)),
                         responses: [.json(status, Schema.ref(answer))], errors: [400, 401, 403, 404, 409, 413])
    }

    /// Every operation.
    static var operations: [OpenAPIOperation] {
        var operations: [OpenAPIOperation] = []
        for collection in collections {
            operations.append(OpenAPIOperation(
                .GET, "/" + collection.segment, summary: "List \(collection.segment) documents, in insertion order",
                description: "Any other query parameter filters by the document key of that name (exact match, AND; "
                    + "\"contains\" on list fields). A `Link: <…>; rel=\"next\"` header names the next page when more match.",
                tags: ["documents"],
                parameters: [.query(ListPaging.limitKey, Schema.integer(), "page size (at least 1)"),
                             .query(ListPaging.afterKey, Schema.integer(), "where the page starts (from a Link rel=next)")],
                responses: [OpenAPIResponse(status: 200, content: .json(Schema.ref(collection.list)),
                                            headers: [("Link", "the next page, when more documents match")])],
                errors: [400, 401, 403]))
            operations.append(OpenAPIOperation(.GET, "/\(collection.segment)/{uuid}", summary: "One \(collection.segment) document",
                                               tags: ["documents"], responses: [.json(200, Schema.ref(collection.document))],
                                               errors: [401, 403, 404]))
        }
        operations += [
            post("/problem", "Create a problem", tag: "user", body: "CreateProblemRequest", answer: "CreateProblemResponse", status: 201),
            post("/algo", "Create an algo (and its learnuplets)", tag: "user", body: "CreateAlgoRequest", answer: "CreateAlgoResponse", status: 201),
            post("/data", "Create data (and the learnuplets they complete)", tag: "user", body: "CreateDataRequest", answer: "CreateDataResponse",
                 status: 201),
            post("/prediction", "Request a prediction from the problem's best model", tag: "user", body: "PredictionRequest",
                 answer: "Preduplet", status: 201),
            post("/worker/{uplet}/{id}", "Claim a learnuplet or preduplet for a worker (compute)", tag: "compute", body: "SetWorkerRequest",
                 answer: "SetWorkerResponse"),
            post("/learndone/{uuid}", "Report a pending learnuplet done or failed (compute)", tag: "compute", body: "LearnDoneRequest",
                 answer: "LearnDoneResponse"),
            post("/preddone/{uuid}", "Report a pending preduplet done or failed (compute)", tag: "compute", body: "PredDoneRequest",
                 answer: "PredDoneResponse"),
        ]
        operations[operations.count - 3].parameters = [.path("uplet", Schema.choice(["learnuplet", "preduplet"])), .path("id")]
        return operations
    }

    /// The document.
    static let document = OpenAPIDocument(
        title: "orchestrator", version: "1.0.0",
        description: "Morpheo's orchestrator: problems, algos, data, learnuplets and preduplets for federated learning, "
            + "and the compute workers' API.",
        envelope: .morpheo, schemas: schemas, operations: operations)
}
