import Contracts
import JSON
import Storage

// Each contract document read from its row (columns in `Queries.columns` order).

extension OrchestratorAPI.Problem: StoredDocument {
    static var collection: Collection { .problem }

    init(row: Row, lists: inout ListColumnDecoder) throws {
        self.init(uuid: try row.get(0), workflow: try row.get(1), testDataset: try lists.decode(try row.get(2)),
                  sizeTrainDataset: try row.get(3), timestampUpload: try row.get(4))
    }
}

extension OrchestratorAPI.Algo: StoredDocument {
    static var collection: Collection { .algo }

    init(row: Row, lists: inout ListColumnDecoder) throws {
        self.init(uuid: try row.get(0), problem: try row.get(1), name: try row.get(2), timestampUpload: try row.get(3))
    }
}

extension OrchestratorAPI.Data: StoredDocument {
    static var collection: Collection { .data }

    init(row: Row, lists: inout ListColumnDecoder) throws {
        self.init(uuid: try row.get(0), problems: try lists.decode(try row.get(1)), timestampUpload: try row.get(2))
    }
}

extension OrchestratorAPI.Learnuplet: StoredDocument {
    static var collection: Collection { .learnuplet }

    init(row: Row, lists: inout ListColumnDecoder) throws {
        self.init(uuid: try row.get(0), problem: try row.get(1), workflow: try row.get(2), algo: try row.get(3),
                  modelStart: try row.get(4), modelEnd: try row.get(5),
                  trainData: try lists.chunk(try row.get(6)), testData: try lists.decode(try row.get(7)),
                  worker: try row.get(8), perf: try row.get(9),
                  trainPerf: try row.get(10), testPerf: try row.get(11), status: try row.get(12), rank: try row.get(13),
                  timestampCreation: try row.get(14), timestampDone: try row.get(15))
    }
}

extension OrchestratorAPI.Preduplet: StoredDocument {
    static var collection: Collection { .preduplet }

    init(row: Row, lists: inout ListColumnDecoder) throws {
        self.init(uuid: try row.get(0), data: try row.get(1), problem: try row.get(2), workflow: try row.get(3),
                  model: try row.get(4), status: try row.get(5), worker: try row.get(6),
                  timestampRequest: try row.get(7), timestampDone: try row.get(8), predictionStorageUUID: try row.get(9))
    }
}

extension OrchestratorAPI.Status: SQLDecodable {
    /// A stored status (text).
    public init(sqlValue: SQLValue) throws {
        guard case .text(let text) = sqlValue, let status = Self(rawValue: text) else {
            throw StorageError(kind: .typeMismatch, message: "expected a status, found \(sqlValue)")
        }
        self = status
    }
}

extension OrchestratorAPI.Performances: SQLDecodable {
    /// A stored performance object (JSON text, keys sorted).
    public init(sqlValue: SQLValue) throws {
        guard case .text(let text) = sqlValue else { throw StorageError(kind: .typeMismatch, message: "expected performances, found \(sqlValue)") }
        self = try StrictJSONDecoder().decode(Self.self, from: Array(text.utf8))
    }
}
