import JSON
import Storage

/// The five collections: their table, list key, selected columns, how a row is written
/// as a document (keys in the original's order) and how each key is filtered.
enum Collection: String, Sendable, CaseIterable {
    case problem, algo, data, learnuplet, preduplet

    /// The key of the list in `GET /{collection}`.
    var listKey: String {
        switch self {
        case .problem: "problems"
        case .algo: "algos"
        case .data: "datas"
        case .learnuplet: "learnuplets"
        case .preduplet: "preduplets"
        }
    }

    /// The columns a document is read from, in `write(row:)` order.
    var columns: String {
        switch self {
        case .problem: "uuid, workflow, test_dataset, size_train_dataset, timestamp_upload"
        case .algo: "uuid, problem, name, timestamp_upload"
        case .data: "uuid, problems, timestamp_upload"
        case .learnuplet:
            "uuid, problem, workflow, algo, model_start, model_end, chunk.train_data, test_data, worker, perf, train_perf, test_perf, status, rank, timestamp_creation, timestamp_done"
        case .preduplet:
            "uuid, data, problem, workflow, model, status, worker, timestamp_request, timestamp_done, prediction_storage_uuid"
        }
    }

    /// The table (with joins) documents are read from.
    var from: String {
        self == .learnuplet ? "learnuplet JOIN chunk ON chunk.id = learnuplet.chunk" : rawValue
    }

    /// Writes one row (selected with `columns`) as a JSON document.
    func write(row: Row, to w: inout JSONBuilder) {
        switch self {
        case .problem:
            w.raw("{\"uuid\":"); w.string(row.text(0))
            w.raw(",\"workflow\":"); w.string(row.text(1))
            w.raw(",\"test_dataset\":"); w.raw(row.text(2))
            w.raw(",\"size_train_dataset\":"); w.int(row.int(3) ?? 0)
            w.raw(",\"timestamp_upload\":"); w.optionalInt(row.int(4))
            w.raw("}")
        case .algo:
            w.raw("{\"uuid\":"); w.string(row.text(0))
            w.raw(",\"problem\":"); w.string(row.text(1))
            w.raw(",\"name\":"); w.string(row.text(2))
            w.raw(",\"timestamp_upload\":"); w.optionalInt(row.int(3))
            w.raw("}")
        case .data:
            w.raw("{\"uuid\":"); w.string(row.text(0))
            w.raw(",\"problems\":"); w.raw(row.text(1))
            w.raw(",\"timestamp_upload\":"); w.optionalInt(row.int(2))
            w.raw("}")
        case .learnuplet:
            w.raw("{\"uuid\":"); w.string(row.text(0))
            w.raw(",\"problem\":"); w.string(row.text(1))
            w.raw(",\"workflow\":"); w.string(row.text(2))
            w.raw(",\"algo\":"); w.string(row.text(3))
            w.raw(",\"model_start\":"); w.optionalString(row.optionalText(4))
            w.raw(",\"model_end\":"); w.string(row.text(5))
            w.raw(",\"train_data\":"); w.raw(row.text(6))
            w.raw(",\"test_data\":"); w.raw(row.text(7))
            w.raw(",\"worker\":"); w.optionalString(row.optionalText(8))
            w.raw(",\"perf\":"); w.optionalDouble(row.double(9))
            w.raw(",\"train_perf\":"); w.optionalRaw(row.optionalText(10))
            w.raw(",\"test_perf\":"); w.optionalRaw(row.optionalText(11))
            w.raw(",\"status\":"); w.string(row.text(12))
            w.raw(",\"rank\":"); w.int(row.int(13) ?? 0)
            w.raw(",\"timestamp_creation\":"); w.optionalInt(row.int(14))
            w.raw(",\"timestamp_done\":"); w.optionalInt(row.int(15))
            w.raw("}")
        case .preduplet:
            w.raw("{\"uuid\":"); w.string(row.text(0))
            w.raw(",\"data\":"); w.string(row.text(1))
            w.raw(",\"problem\":"); w.string(row.text(2))
            w.raw(",\"workflow\":"); w.string(row.text(3))
            w.raw(",\"model\":"); w.string(row.text(4))
            w.raw(",\"status\":"); w.string(row.text(5))
            w.raw(",\"worker\":"); w.optionalString(row.optionalText(6))
            w.raw(",\"timestamp_request\":"); w.optionalInt(row.int(7))
            w.raw(",\"timestamp_done\":"); w.optionalInt(row.int(8))
            w.raw(",\"prediction_storage_uuid\":"); w.optionalString(row.optionalText(9))
            w.raw("}")
        }
    }

    /// How a document key is matched by a `GET /{collection}?key=value` filter.
    enum Field {
        /// A string column; `null` matches SQL NULL when `nullable`.
        case text(String, nullable: Bool)
        /// A number column, compared by value; `null` matches SQL NULL when `nullable`.
        case number(String, nullable: Bool)
        /// A list: the document matches when the list contains the value (`?` is the value).
        case contains(String)
        /// A JSON object (train_perf, test_perf): only `null` can match.
        case object(String)
    }

    /// The filterable keys (every key of the document).
    var fields: [String: Field] {
        switch self {
        case .problem:
            [
                "uuid": .text("uuid", nullable: false),
                "workflow": .text("workflow", nullable: false),
                "test_dataset": .contains("uuid IN (SELECT problem FROM problem_test_data WHERE data = ?)"),
                "size_train_dataset": .number("size_train_dataset", nullable: false),
                "timestamp_upload": .number("timestamp_upload", nullable: false),
            ]
        case .algo:
            [
                "uuid": .text("uuid", nullable: false),
                "problem": .text("problem", nullable: false),
                "name": .text("name", nullable: false),
                "timestamp_upload": .number("timestamp_upload", nullable: false),
            ]
        case .data:
            [
                "uuid": .text("uuid", nullable: false),
                "problems": .contains("uuid IN (SELECT data FROM data_problem WHERE problem = ?)"),
                "timestamp_upload": .number("timestamp_upload", nullable: false),
            ]
        case .learnuplet:
            [
                "uuid": .text("uuid", nullable: false),
                "problem": .text("problem", nullable: false),
                "workflow": .text("workflow", nullable: false),
                "algo": .text("algo", nullable: false),
                "model_start": .text("model_start", nullable: true),
                "model_end": .text("model_end", nullable: false),
                "train_data": .contains("learnuplet.chunk IN (SELECT chunk_data.chunk FROM chunk_data WHERE chunk_data.data = ?)"),
                "test_data": .contains("problem IN (SELECT problem FROM problem_test_data WHERE data = ?)"),
                "worker": .text("worker", nullable: true),
                "perf": .number("perf", nullable: true),
                "train_perf": .object("train_perf"),
                "test_perf": .object("test_perf"),
                "status": .text("status", nullable: false),
                "rank": .number("rank", nullable: false),
                "timestamp_creation": .number("timestamp_creation", nullable: false),
                "timestamp_done": .number("timestamp_done", nullable: true),
            ]
        case .preduplet:
            [
                "uuid": .text("uuid", nullable: false),
                "data": .text("data", nullable: false),
                "problem": .text("problem", nullable: false),
                "workflow": .text("workflow", nullable: false),
                "model": .text("model", nullable: false),
                "status": .text("status", nullable: false),
                "worker": .text("worker", nullable: true),
                "timestamp_request": .number("timestamp_request", nullable: false),
                "timestamp_done": .number("timestamp_done", nullable: true),
                "prediction_storage_uuid": .text("prediction_storage_uuid", nullable: true),
            ]
        }
    }

    /// Keys with few distinct values.
    static let fewValued: Set<String> = ["status", "problem", "workflow"]

    /// The SQL condition for a set of filters, or nil when nothing can match
    /// (an unknown key, a non-number for a number field).
    func condition(_ filters: [(String, String)]) -> (sql: String, parameters: [SQLValue])? {
        let fields = self.fields
        var parts: [String] = []
        var params: [SQLValue] = []
        // A few-valued column (status, problem, workflow) makes a poor index when a
        // selective one is also filtered on: `+col` keeps the planner off its index.
        let selective = filters.contains { key, _ in
            guard let f = fields[key], !Self.fewValued.contains(key) else { return false }
            if case .text = f { return true }
            if case .number = f { return true }
            return false
        }
        for (key, value) in filters {
            guard let field = fields[key] else { return nil }
            switch field {
            case .text(let col, let nullable):
                let c = selective && Self.fewValued.contains(key) ? "+" + col : col
                if nullable && value == "null" {
                    parts.append("\(c) IS NULL")
                } else if self == .learnuplet && key == "status" && value != "todo" {
                    // Lets the planner use the partial index `WHERE status <> 'todo'`.
                    parts.append("\(c) = ? AND status <> 'todo'")
                    params.append(.text(value))
                } else {
                    parts.append("\(c) = ?")
                    params.append(.text(value))
                }
            case .number(let col, let nullable):
                if value == "null" {
                    guard nullable else { return nil }
                    parts.append("\(col) IS NULL")
                } else if let i = Int(value) {
                    parts.append("\(col) = ?")
                    params.append(.integer(Int64(i)))
                } else if let d = Double(value), d.isFinite {
                    parts.append("\(col) = ?")
                    params.append(.real(d))
                } else {
                    return nil
                }
            case .contains(let sql):
                parts.append(sql)
                params.append(.text(value))
            case .object(let col):
                guard value == "null" else { return nil }
                parts.append("\(col) IS NULL")
            }
        }
        return (parts.isEmpty ? "" : "WHERE " + parts.joined(separator: " AND "), params)
    }
}

extension Row {
    /// Text at `i` ("" when not text).
    func text(_ i: Int) -> String {
        if case .text(let s) = values[i] { return s }
        return ""
    }

    /// Text at `i`, nil when NULL.
    func optionalText(_ i: Int) -> String? {
        if case .text(let s) = values[i] { return s }
        return nil
    }

    /// Integer at `i`, nil when NULL.
    func int(_ i: Int) -> Int? {
        switch values[i] {
        case .integer(let v): return Int(v)
        case .real(let d): return Int(d)
        default: return nil
        }
    }

    /// Number at `i`, nil when NULL.
    func double(_ i: Int) -> Double? {
        switch values[i] {
        case .integer(let v): return Double(v)
        case .real(let d): return d
        default: return nil
        }
    }
}
