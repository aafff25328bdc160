import Storage

/// The five collections (`GET /{collection}`): each is one table, its documents a contract
/// type (`StoredDocument`), and every key of a document a filter (`GET /{collection}?key=value`).
enum Collection: String, Sendable, CaseIterable {
    case problem, algo, data, learnuplet, preduplet

    /// The filterable keys (every key of the document).
    var fields: [String: FilterField] { Self.fieldsByCollection[self]! }

    /// `fields` of every collection, built once.
    private static let fieldsByCollection: [Collection: [String: FilterField]] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0, $0.makeFields()) })

    /// The filterable keys of the collection's documents.
    private func makeFields() -> [String: FilterField] {
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

    /// Whether a list matching `filters` selects its rows by `seq` (`Queries.listPage`):
    /// `learnuplet_algo_rank` yields an algo's learnuplets in rank order, so SQLite would sort
    /// the whole rows (every column) into insertion order; selecting their `seq`s from the
    /// index first reads the rows in order instead (1,000 learnuplets of an algo: 1.3 → 1.0 ms
    /// in SQLite alone). Not with `rank` (one row) or `train_data` (planned from `chunk_data`).
    func selectsBySeq(_ filters: [(String, String)]) -> Bool {
        self == .learnuplet && filters.contains { $0.0 == "algo" } && !filters.contains { $0.0 == "rank" || $0.0 == "train_data" }
    }

    /// The SQL condition for a set of filters (a `WHERE …` per dialect, or empty), or nil
    /// when nothing can match (an unknown key, a non-number for a number field).
    func condition(_ filters: [(String, String)]) -> (sql: SQLQuery, parameters: [SQLValue])? {
        let fields = self.fields
        var parts: [String] = []
        var sqliteParts: [String] = []
        var params: [SQLValue] = []
        // A few-valued column (status, problem, workflow) makes a poor index when a
        // selective one is also filtered on: SQLite's `+col` keeps its planner off that
        // index (PostgreSQL's planner weighs them from its statistics: no hint, and no
        // unary `+` on text).
        let selective = filters.contains { key, _ in
            guard let f = fields[key], !Self.fewValued.contains(key) else { return false }
            if case .text = f { return true }
            if case .number = f { return true }
            return false
        }
        /// Adds one condition, written `sqlite` for SQLite where that differs.
        func add(_ portable: String, sqlite: String? = nil) {
            parts.append(portable)
            sqliteParts.append(sqlite ?? portable)
        }
        for (key, value) in filters {
            guard let field = fields[key] else { return nil }
            switch field {
            case .text(let col, let nullable):
                let hinted = selective && Self.fewValued.contains(key) ? "+" + col : col
                if nullable && value == "null" {
                    add("\(col) IS NULL", sqlite: "\(hinted) IS NULL")
                } else if self == .learnuplet && key == "status" && value != "todo" {
                    // Lets the planner use the partial index `WHERE status <> 'todo'`.
                    add("\(col) = ? AND status <> 'todo'", sqlite: "\(hinted) = ? AND status <> 'todo'")
                    params.append(.text(value))
                } else {
                    add("\(col) = ?", sqlite: "\(hinted) = ?")
                    params.append(.text(value))
                }
            case .number(let col, let nullable):
                if value == "null" {
                    guard nullable else { return nil }
                    add("\(col) IS NULL")
                } else if let i = Int(value) {
                    add("\(col) = ?")
                    params.append(.integer(Int64(i)))
                } else if let d = Double(value), d.isFinite {
                    add("\(col) = ?")
                    params.append(.real(d))
                } else {
                    return nil
                }
            case .contains(let sql):
                add(sql)
                params.append(.text(value))
            case .object(let col):
                guard value == "null" else { return nil }
                add("\(col) IS NULL")
            }
        }
        func clause(_ parts: [String]) -> String { parts.isEmpty ? "" : "WHERE " + parts.joined(separator: " AND ") }
        return (SQLQuery(sqlite: clause(sqliteParts), postgres: clause(parts)), params)
    }
}
