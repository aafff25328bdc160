import CSQLite

/// A prepared SQLite statement, reusable with different parameters.
///
/// Obtained from `SQLiteConnection.prepare(_:)`, which caches statements by SQL text.
/// Like its connection it is not `Sendable` and must only be used by the connection's owner.
/// Each execution binds all parameters, steps to completion (or through `forEach`) and
/// resets the statement, so no read snapshot or lock is held between executions.
public final class SQLiteStatement {
    /// The SQL text of the statement.
    public let sql: String
    let handle: OpaquePointer
    let db: OpaquePointer
    /// `true` while an execution is in progress (re-entrant use gets a fresh statement).
    var isExecuting = false

    init(db: OpaquePointer, sql: String) throws {
        var stmt: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let rc = sql.withCString { sqlite3_prepare_v3(db, $0, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, &tail) }
        guard rc == SQLITE_OK else {
            sqlite3_finalize(stmt)
            throw SQLiteConnection.error(db: db, rc: rc, sql: sql)
        }
        if let tail, tail.pointee != 0, Self.holdsStatement(db: db, sql: tail) {
            sqlite3_finalize(stmt)
            throw StorageError(kind: .invalidStatement,
                               message: "more than one statement; use execute(_:) for scripts", sql: sql)
        }
        guard let stmt else {
            throw StorageError(kind: .invalidStatement, message: "empty statement", sql: sql)
        }
        self.sql = sql
        self.handle = stmt
        self.db = db
    }

    deinit { sqlite3_finalize(handle) }

    /// `true` when `sql` holds at least one more statement (not just whitespace, `;` or comments).
    private static func holdsStatement(db: OpaquePointer, sql: UnsafePointer<CChar>) -> Bool {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nil)
        defer { sqlite3_finalize(stmt) }
        return rc != SQLITE_OK || stmt != nil
    }

    /// Number of `?` placeholders.
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Executes with `parameters` and returns the number of rows changed.
    @discardableResult
    public func run(_ parameters: [any SQLBindable] = []) throws -> Int {
        try execute(parameters) { _ in true }
        return Int(sqlite3_changes(db))
    }

    /// Executes with `parameters` and returns all rows.
    public func query(_ parameters: [any SQLBindable] = []) throws -> [Row] {
        var rows: [Row] = []
        var columns: RowColumns?
        try execute(parameters) { stmt in
            let cols = columns ?? Self.columns(of: stmt)
            columns = cols
            rows.append(Row(values: Self.values(of: stmt, count: cols.names.count), columns: cols))
            return true
        }
        return rows
    }

    /// Executes with `parameters` and returns the first row, if any (stops stepping after it).
    public func queryOne(_ parameters: [any SQLBindable] = []) throws -> Row? {
        var row: Row?
        try execute(parameters) { stmt in
            let cols = Self.columns(of: stmt)
            row = Row(values: Self.values(of: stmt, count: cols.names.count), columns: cols)
            return false
        }
        return row
    }

    /// Executes with `parameters`, calling `body` for each row as SQLite produces it.
    public func forEach(_ parameters: [any SQLBindable] = [], _ body: (Row) throws -> Void) throws {
        var columns: RowColumns?
        try execute(parameters) { stmt in
            let cols = columns ?? Self.columns(of: stmt)
            columns = cols
            try body(Row(values: Self.values(of: stmt, count: cols.names.count), columns: cols))
            return true
        }
    }

    /// Binds, steps (calling `onRow` per row until it returns `false`) and always resets.
    func execute(_ parameters: [any SQLBindable], onRow: (OpaquePointer) throws -> Bool) throws {
        isExecuting = true
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            isExecuting = false
        }
        try bind(parameters)
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_ROW {
                if try !onRow(handle) { return }
            } else if rc == SQLITE_DONE {
                return
            } else {
                throw SQLiteConnection.error(db: db, rc: rc, sql: sql)
            }
        }
    }

    private func bind(_ parameters: [any SQLBindable]) throws {
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard parameters.count == expected else {
            throw StorageError(kind: .invalidStatement,
                               message: "statement has \(expected) parameter(s), \(parameters.count) given", sql: sql)
        }
        for (offset, parameter) in parameters.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch parameter.sqlValue {
            case .null:
                rc = sqlite3_bind_null(handle, index)
            case .integer(let v):
                rc = sqlite3_bind_int64(handle, index, v)
            case .real(let v):
                rc = sqlite3_bind_double(handle, index, v)
            case .text(var s):
                rc = s.withUTF8 { buf in
                    if buf.isEmpty { return sqlite3_bind_text(handle, index, "", 0, SQLITE_TRANSIENT_PTR) }
                    return buf.withMemoryRebound(to: CChar.self) {
                        sqlite3_bind_text64(handle, index, $0.baseAddress, UInt64($0.count),
                                            SQLITE_TRANSIENT_PTR, UInt8(SQLITE_UTF8))
                    }
                }
            case .blob(let bytes):
                if bytes.isEmpty {
                    rc = sqlite3_bind_zeroblob(handle, index, 0)
                } else {
                    rc = bytes.withUnsafeBytes {
                        sqlite3_bind_blob64(handle, index, $0.baseAddress, UInt64($0.count), SQLITE_TRANSIENT_PTR)
                    }
                }
            }
            guard rc == SQLITE_OK else { throw SQLiteConnection.error(db: db, rc: rc, sql: sql) }
        }
    }

    static func columns(of stmt: OpaquePointer) -> RowColumns {
        let n = sqlite3_column_count(stmt)
        var names: [String] = []
        names.reserveCapacity(Int(n))
        for i in 0..<n {
            names.append(sqlite3_column_name(stmt, i).map { String(cString: $0) } ?? "")
        }
        return RowColumns(names: names)
    }

    static func values(of stmt: OpaquePointer, count: Int) -> [SQLValue] {
        var values: [SQLValue] = []
        values.reserveCapacity(count)
        for i in 0..<Int32(count) {
            switch sqlite3_column_type(stmt, i) {
            case SQLITE_INTEGER:
                values.append(.integer(sqlite3_column_int64(stmt, i)))
            case SQLITE_FLOAT:
                values.append(.real(sqlite3_column_double(stmt, i)))
            case SQLITE_TEXT:
                let p = sqlite3_column_text(stmt, i)
                let n = Int(sqlite3_column_bytes(stmt, i))
                values.append(.text(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)))
            case SQLITE_BLOB:
                let p = sqlite3_column_blob(stmt, i)
                let n = Int(sqlite3_column_bytes(stmt, i))
                values.append(.blob(n == 0 ? [] : Array(UnsafeRawBufferPointer(start: p, count: n))))
            default:
                values.append(.null)
            }
        }
        return values
    }
}

/// `SQLITE_TRANSIENT`: SQLite copies the bound buffer before the bind call returns.
let SQLITE_TRANSIENT_PTR = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
