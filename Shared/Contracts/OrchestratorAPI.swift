/// orchestrator's public API (seed 003, the Morpheo orchestrator, and its spec): five
/// collections of documents, their list envelopes, the bodies of every POST and their
/// answers, with the original's keys in the original's order. A document writes every key,
/// `null` included. Errors use `MorpheoError` (`{"Error": "..."}`).
public enum OrchestratorAPI {
    /// The state of a learnuplet or preduplet: `todo` → `pending` (claimed by a worker) →
    /// `done` | `failed`.
    public enum Status: String, Sendable, Codable, Equatable {
        /// Waiting for a worker.
        case todo
        /// Claimed by a worker.
        case pending
        /// Finished.
        case done
        /// Given up by its worker.
        case failed
    }

    // MARK: - Documents

    /// A problem (`GET /problem`, `/problem/{uuid}`; `POST /problem` answers it).
    public struct Problem: Sendable, Codable, Equatable {
        /// The problem's id.
        public var uuid: String
        /// The workflow's id.
        public var workflow: String
        /// Its test data ids (never trained on).
        public var testDataset: [String]
        /// Train data ids per learnuplet (≥ 1).
        public var sizeTrainDataset: Int
        /// Upload time, Unix seconds.
        public var timestampUpload: Int

        enum CodingKeys: String, CodingKey {
            case uuid, workflow, testDataset = "test_dataset", sizeTrainDataset = "size_train_dataset", timestampUpload = "timestamp_upload"
        }

        /// A problem document.
        public init(uuid: String, workflow: String, testDataset: [String], sizeTrainDataset: Int, timestampUpload: Int) {
            self.uuid = uuid
            self.workflow = workflow
            self.testDataset = testDataset
            self.sizeTrainDataset = sizeTrainDataset
            self.timestampUpload = timestampUpload
        }

        /// Every key in the original's order.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(uuid, forKey: .uuid)
            try c.encode(workflow, forKey: .workflow)
            try c.encodeStrings(testDataset, forKey: .testDataset)
            try c.encode(sizeTrainDataset, forKey: .sizeTrainDataset)
            try c.encode(timestampUpload, forKey: .timestampUpload)
        }
    }

    /// An algorithm (`GET /algo`, `/algo/{uuid}`).
    public struct Algo: Sendable, Codable, Equatable {
        /// The algo's id.
        public var uuid: String
        /// The problem it learns.
        public var problem: String
        /// Its name.
        public var name: String
        /// Upload time, Unix seconds.
        public var timestampUpload: Int

        enum CodingKeys: String, CodingKey { case uuid, problem, name, timestampUpload = "timestamp_upload" }

        /// An algo document.
        public init(uuid: String, problem: String, name: String, timestampUpload: Int) {
            self.uuid = uuid
            self.problem = problem
            self.name = name
            self.timestampUpload = timestampUpload
        }
    }

    /// One data file (`GET /data`, `/data/{uuid}`): one document per uuid.
    public struct Data: Sendable, Codable, Equatable {
        /// The data's id.
        public var uuid: String
        /// The problems it belongs to.
        public var problems: [String]
        /// Upload time, Unix seconds.
        public var timestampUpload: Int

        enum CodingKeys: String, CodingKey { case uuid, problems, timestampUpload = "timestamp_upload" }

        /// A data document.
        public init(uuid: String, problems: [String], timestampUpload: Int) {
            self.uuid = uuid
            self.problems = problems
            self.timestampUpload = timestampUpload
        }

        /// Every key in the original's order.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(uuid, forKey: .uuid)
            try c.encodeStrings(problems, forKey: .problems)
            try c.encode(timestampUpload, forKey: .timestampUpload)
        }
    }

    /// Performances by data id (`train_perf`, `test_perf`): an object of data id → number,
    /// written with its keys sorted (stable output).
    public struct Performances: Sendable, Codable, Equatable, ExpressibleByDictionaryLiteral {
        /// Performance by data id.
        public var values: [String: Double]

        /// Performances by data id.
        public init(_ values: [String: Double]) { self.values = values }

        /// Performances from a literal.
        public init(dictionaryLiteral elements: (String, Double)...) {
            values = Dictionary(elements, uniquingKeysWith: { $1 })
        }

        /// Whether every value is a finite number.
        public var isFinite: Bool { values.values.allSatisfy(\.isFinite) }

        /// Reads an object of numbers.
        public init(from decoder: any Decoder) throws {
            values = try decoder.singleValueContainer().decode([String: Double].self)
        }

        /// Writes the object with its keys sorted.
        public func encode(to encoder: any Encoder) throws {
            var object = encoder.container(keyedBy: PerformanceKey.self)
            for name in values.keys.sorted() {
                try object.encode(values[name]!, forKey: PerformanceKey(stringValue: name))
            }
        }
    }

    /// A unit of learning (`GET /learnuplet`, `/learnuplet/{uuid}`; pushed to compute's `/learn`).
    public struct Learnuplet: Sendable, Codable, Equatable {
        /// The learnuplet's id.
        public var uuid: String
        /// Its problem.
        public var problem: String
        /// The problem's workflow.
        public var workflow: String
        /// Its algo.
        public var algo: String
        /// The model to start from (null until the previous rank is done).
        public var modelStart: String?
        /// The id of the model it makes.
        public var modelEnd: String
        /// Train data ids.
        public var trainData: [String]
        /// The problem's test data ids.
        public var testData: [String]
        /// The worker that claimed it.
        public var worker: String?
        /// Performance on all test data, once done.
        public var perf: Double?
        /// Performance per train data id, once done.
        public var trainPerf: Performances?
        /// Performance per test data id, once done.
        public var testPerf: Performances?
        /// Its state.
        public var status: Status
        /// Its place in the algo's chain (from 0).
        public var rank: Int
        /// Creation time, Unix seconds.
        public var timestampCreation: Int
        /// When it was reported done or failed, Unix seconds.
        public var timestampDone: Int?

        enum CodingKeys: String, CodingKey {
            case uuid, problem, workflow, algo, modelStart = "model_start", modelEnd = "model_end", trainData = "train_data"
            case testData = "test_data", worker, perf, trainPerf = "train_perf", testPerf = "test_perf", status, rank
            case timestampCreation = "timestamp_creation", timestampDone = "timestamp_done"
        }

        /// A learnuplet document.
        public init(uuid: String, problem: String, workflow: String, algo: String, modelStart: String?, modelEnd: String,
                    trainData: [String], testData: [String], worker: String?, perf: Double?, trainPerf: Performances?,
                    testPerf: Performances?, status: Status, rank: Int, timestampCreation: Int, timestampDone: Int?) {
            self.uuid = uuid
            self.problem = problem
            self.workflow = workflow
            self.algo = algo
            self.modelStart = modelStart
            self.modelEnd = modelEnd
            self.trainData = trainData
            self.testData = testData
            self.worker = worker
            self.perf = perf
            self.trainPerf = trainPerf
            self.testPerf = testPerf
            self.status = status
            self.rank = rank
            self.timestampCreation = timestampCreation
            self.timestampDone = timestampDone
        }

        /// Every key in the original's order, `null` for what is not set, performances
        /// with their keys sorted.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(uuid, forKey: .uuid)
            try c.encode(problem, forKey: .problem)
            try c.encode(workflow, forKey: .workflow)
            try c.encode(algo, forKey: .algo)
            try c.encodeOrNull(modelStart, forKey: .modelStart)
            try c.encode(modelEnd, forKey: .modelEnd)
            try c.encodeStrings(trainData, forKey: .trainData)
            try c.encodeStrings(testData, forKey: .testData)
            try c.encodeOrNull(worker, forKey: .worker)
            try c.encodeOrNull(perf, forKey: .perf)
            try c.encodeOrNull(trainPerf, forKey: .trainPerf)
            try c.encodeOrNull(testPerf, forKey: .testPerf)
            try c.encode(status.rawValue, forKey: .status)
            try c.encode(rank, forKey: .rank)
            try c.encode(timestampCreation, forKey: .timestampCreation)
            try c.encodeOrNull(timestampDone, forKey: .timestampDone)
        }
    }

    /// A unit of prediction (`GET /preduplet`, `/preduplet/{uuid}`; `POST /prediction`
    /// answers it; pushed to compute's `/pred`).
    public struct Preduplet: Sendable, Codable, Equatable {
        /// The preduplet's id.
        public var uuid: String
        /// The data id to predict on.
        public var data: String
        /// Its problem.
        public var problem: String
        /// The problem's workflow.
        public var workflow: String
        /// The model to predict with (the problem's best trained one).
        public var model: String
        /// Its state.
        public var status: Status
        /// The worker that claimed it.
        public var worker: String?
        /// Request time, Unix seconds.
        public var timestampRequest: Int
        /// When it was reported done or failed, Unix seconds.
        public var timestampDone: Int?
        /// Where the prediction is stored (Storage's id), once done.
        public var predictionStorageUUID: String?

        enum CodingKeys: String, CodingKey {
            case uuid, data, problem, workflow, model, status, worker, timestampRequest = "timestamp_request"
            case timestampDone = "timestamp_done", predictionStorageUUID = "prediction_storage_uuid"
        }

        /// A preduplet document.
        public init(uuid: String, data: String, problem: String, workflow: String, model: String, status: Status,
                    worker: String?, timestampRequest: Int, timestampDone: Int?, predictionStorageUUID: String?) {
            self.uuid = uuid
            self.data = data
            self.problem = problem
            self.workflow = workflow
            self.model = model
            self.status = status
            self.worker = worker
            self.timestampRequest = timestampRequest
            self.timestampDone = timestampDone
            self.predictionStorageUUID = predictionStorageUUID
        }

        /// Every key in the original's order, `null` for what is not set.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(uuid, forKey: .uuid)
            try c.encode(data, forKey: .data)
            try c.encode(problem, forKey: .problem)
            try c.encode(workflow, forKey: .workflow)
            try c.encode(model, forKey: .model)
            try c.encode(status.rawValue, forKey: .status)
            try c.encodeOrNull(worker, forKey: .worker)
            try c.encode(timestampRequest, forKey: .timestampRequest)
            try c.encodeOrNull(timestampDone, forKey: .timestampDone)
            try c.encodeOrNull(predictionStorageUUID, forKey: .predictionStorageUUID)
        }
    }

    // MARK: - Lists (`GET /{collection}[?key=value&…]`, in insertion order)

    /// `GET /problem` → `{"problems": [...]}`.
    public struct ProblemList: Sendable, Codable, Equatable {
        /// The matching problems.
        public var problems: [Problem]
        /// A list.
        public init(problems: [Problem]) { self.problems = problems }
    }

    /// `GET /algo` → `{"algos": [...]}`.
    public struct AlgoList: Sendable, Codable, Equatable {
        /// The matching algos.
        public var algos: [Algo]
        /// A list.
        public init(algos: [Algo]) { self.algos = algos }
    }

    /// `GET /data` → `{"datas": [...]}`.
    public struct DataList: Sendable, Codable, Equatable {
        /// The matching data.
        public var datas: [Data]
        /// A list.
        public init(datas: [Data]) { self.datas = datas }
    }

    /// `GET /learnuplet` → `{"learnuplets": [...]}`.
    public struct LearnupletList: Sendable, Codable, Equatable {
        /// The matching learnuplets.
        public var learnuplets: [Learnuplet]
        /// A list.
        public init(learnuplets: [Learnuplet]) { self.learnuplets = learnuplets }
    }

    /// `GET /preduplet` → `{"preduplets": [...]}`.
    public struct PredupletList: Sendable, Codable, Equatable {
        /// The matching preduplets.
        public var preduplets: [Preduplet]
        /// A list.
        public init(preduplets: [Preduplet]) { self.preduplets = preduplets }
    }

    // MARK: - Creation (users)

    /// `POST /problem`.
    public struct CreateProblemRequest: Sendable, Codable, Equatable {
        /// The problem's id (non-empty).
        public var uuid: String
        /// The workflow's id (non-empty).
        public var workflow: String
        /// Test data ids.
        public var testDataset: [String]
        /// Train data ids per learnuplet (≥ 1).
        public var sizeTrainDataset: Int

        enum CodingKeys: String, CodingKey {
            case uuid, workflow, testDataset = "test_dataset", sizeTrainDataset = "size_train_dataset"
        }

        /// A request body.
        public init(uuid: String, workflow: String, testDataset: [String], sizeTrainDataset: Int) {
            self.uuid = uuid
            self.workflow = workflow
            self.testDataset = testDataset
            self.sizeTrainDataset = sizeTrainDataset
        }
    }

    /// `POST /problem` → 201 `{"new_problem": {...}}`.
    public struct CreateProblemResponse: Sendable, Codable, Equatable {
        /// The stored problem.
        public var newProblem: Problem

        enum CodingKeys: String, CodingKey { case newProblem = "new_problem" }

        /// An answer.
        public init(newProblem: Problem) { self.newProblem = newProblem }
    }

    /// `POST /algo`.
    public struct CreateAlgoRequest: Sendable, Codable, Equatable {
        /// The algo's id (non-empty).
        public var uuid: String
        /// Its name (non-empty).
        public var name: String
        /// The problem it learns (non-empty, must exist).
        public var problem: String

        /// A request body.
        public init(uuid: String, name: String, problem: String) {
            self.uuid = uuid
            self.name = name
            self.problem = problem
        }
    }

    /// `POST /algo` → 201 `{"new_algo": {...}, "new_learnuplets": n}`.
    public struct CreateAlgoResponse: Sendable, Codable, Equatable {
        /// The stored algo.
        public var newAlgo: Algo
        /// How many learnuplets were cut for it.
        public var newLearnuplets: Int

        enum CodingKeys: String, CodingKey { case newAlgo = "new_algo", newLearnuplets = "new_learnuplets" }

        /// An answer.
        public init(newAlgo: Algo, newLearnuplets: Int) {
            self.newAlgo = newAlgo
            self.newLearnuplets = newLearnuplets
        }
    }

    /// `POST /data`: `uuid` and `problems` each one id or a list of ids.
    public struct CreateDataRequest: Sendable, Codable, Equatable {
        /// The data ids (a non-empty list of non-empty ids).
        public var uuid: [String]
        /// The problems they belong to (non-empty ids, each must exist).
        public var problems: [String]

        enum CodingKeys: String, CodingKey { case uuid, problems }

        /// A request body.
        public init(uuid: [String], problems: [String]) {
            self.uuid = uuid
            self.problems = problems
        }

        /// Reads each key as one string or a list of strings.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            uuid = try Self.oneOrMany(c, .uuid)
            problems = try Self.oneOrMany(c, .problems)
        }

        static func oneOrMany(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> [String] {
            if let one = try? c.decode(String.self, forKey: key) { return [one] }
            return try c.decode([String].self, forKey: key)
        }
    }

    /// `POST /data` → 201 `{"new_datas": [...], "new_learnuplets": n}`.
    public struct CreateDataResponse: Sendable, Codable, Equatable {
        /// One stored document per posted id, in the posted order.
        public var newDatas: [Data]
        /// How many learnuplets continued the problems' algos.
        public var newLearnuplets: Int

        enum CodingKeys: String, CodingKey { case newDatas = "new_datas", newLearnuplets = "new_learnuplets" }

        /// An answer.
        public init(newDatas: [Data], newLearnuplets: Int) {
            self.newDatas = newDatas
            self.newLearnuplets = newLearnuplets
        }
    }

    /// `POST /prediction` → 201 the new `Preduplet` itself. Both keys are required; a `data`
    /// that is not a non-empty string is refused with `data field should be an UUID`.
    public struct PredictionRequest: Sendable, Codable, Equatable {
        /// The data id to predict on.
        public var data: String
        /// The problem whose best trained model predicts.
        public var problem: String

        /// A request body.
        public init(data: String, problem: String) {
            self.data = data
            self.problem = problem
        }
    }

    // MARK: - Compute

    /// `POST /worker/{learnuplet|preduplet}/{uuid}`: claims a `todo` uplet.
    public struct SetWorkerRequest: Sendable, Codable, Equatable {
        /// The worker's id (non-empty).
        public var worker: String

        /// A request body.
        public init(worker: String) { self.worker = worker }
    }

    /// `POST /worker/…` → `{"learnuplet_worker_set": uuid}` or `{"preduplet_worker_set": uuid}`
    /// (exactly one of the two is set).
    public struct SetWorkerResponse: Sendable, Codable, Equatable {
        /// The claimed learnuplet.
        public var learnupletWorkerSet: String?
        /// The claimed preduplet.
        public var predupletWorkerSet: String?

        enum CodingKeys: String, CodingKey {
            case learnupletWorkerSet = "learnuplet_worker_set", predupletWorkerSet = "preduplet_worker_set"
        }

        /// An answer (set one of the two).
        public init(learnupletWorkerSet: String? = nil, predupletWorkerSet: String? = nil) {
            self.learnupletWorkerSet = learnupletWorkerSet
            self.predupletWorkerSet = predupletWorkerSet
        }
    }

    /// `POST /learndone/{uuid}`: the result of a pending learnuplet. `status` is `done` or
    /// `failed`; `done` needs a finite `perf` and both performance objects. As in the
    /// original, a `failed` report may carry anything else: an optional key of the wrong
    /// type reads as absent.
    public struct LearnDoneRequest: Sendable, Codable, Equatable {
        /// `done` or `failed`.
        public var status: Status
        /// Performance of the trained model on all test data.
        public var perf: Double?
        /// Performance per train data id.
        public var trainPerf: Performances?
        /// Performance per test data id.
        public var testPerf: Performances?

        enum CodingKeys: String, CodingKey { case status, perf, trainPerf = "train_perf", testPerf = "test_perf" }

        /// A request body.
        public init(status: Status, perf: Double? = nil, trainPerf: Performances? = nil, testPerf: Performances? = nil) {
            self.status = status
            self.perf = perf
            self.trainPerf = trainPerf
            self.testPerf = testPerf
        }

        /// `status` strictly; the rest leniently (wrong type → nil).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            status = try c.decode(Status.self, forKey: .status)
            perf = (try? c.decodeIfPresent(Double.self, forKey: .perf)) ?? nil
            trainPerf = (try? c.decodeIfPresent(Performances.self, forKey: .trainPerf)) ?? nil
            testPerf = (try? c.decodeIfPresent(Performances.self, forKey: .testPerf)) ?? nil
        }

        /// Writes what is set.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(status, forKey: .status)
            try c.encodeIfPresent(perf, forKey: .perf)
            try c.encodeIfPresent(trainPerf, forKey: .trainPerf)
            try c.encodeIfPresent(testPerf, forKey: .testPerf)
        }
    }

    /// `POST /learndone/{uuid}` → `{"updated_learnuplet": uuid}`.
    public struct LearnDoneResponse: Sendable, Codable, Equatable {
        /// The updated learnuplet.
        public var updatedLearnuplet: String

        enum CodingKeys: String, CodingKey { case updatedLearnuplet = "updated_learnuplet" }

        /// An answer.
        public init(updatedLearnuplet: String) { self.updatedLearnuplet = updatedLearnuplet }
    }

    /// `POST /preddone/{uuid}`: the result of a pending preduplet. `status` is `done` or
    /// `failed`; `done` needs a non-empty `prediction_storage_uuid`. A `failed` report's
    /// `prediction_storage_uuid` of the wrong type reads as absent.
    public struct PredDoneRequest: Sendable, Codable, Equatable {
        /// `done` or `failed`.
        public var status: Status
        /// Where the prediction is stored.
        public var predictionStorageUUID: String?

        enum CodingKeys: String, CodingKey { case status, predictionStorageUUID = "prediction_storage_uuid" }

        /// A request body.
        public init(status: Status, predictionStorageUUID: String? = nil) {
            self.status = status
            self.predictionStorageUUID = predictionStorageUUID
        }

        /// `status` strictly; `prediction_storage_uuid` leniently (wrong type → nil).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            status = try c.decode(Status.self, forKey: .status)
            predictionStorageUUID = (try? c.decodeIfPresent(String.self, forKey: .predictionStorageUUID)) ?? nil
        }
    }

    /// `POST /preddone/{uuid}` → `{"updated_preduplet": uuid}`.
    public struct PredDoneResponse: Sendable, Codable, Equatable {
        /// The updated preduplet.
        public var updatedPreduplet: String

        enum CodingKeys: String, CodingKey { case updatedPreduplet = "updated_preduplet" }

        /// An answer.
        public init(updatedPreduplet: String) { self.updatedPreduplet = updatedPreduplet }
    }
}

/// A member name for the keys of a performance object.
private struct PerformanceKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

// Documents are written in lists of thousands: these call the encoder's concrete
// `String`/`Int`/`Double` entry points rather than its generic one.
extension KeyedEncodingContainer {
    /// The value, or `null` when there is none (documents write every key).
    fileprivate mutating func encodeOrNull<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    /// The string, or `null`.
    fileprivate mutating func encodeOrNull(_ value: String?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    /// The integer, or `null`.
    fileprivate mutating func encodeOrNull(_ value: Int?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    /// The number, or `null`.
    fileprivate mutating func encodeOrNull(_ value: Double?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    /// A list of strings.
    fileprivate mutating func encodeStrings(_ list: [String], forKey key: Key) throws {
        var array = nestedUnkeyedContainer(forKey: key)
        for element in list { try array.encode(element) }
    }
}
