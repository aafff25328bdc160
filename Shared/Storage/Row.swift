/// One result row: its values in column order, addressable by index or by column name.
///
/// Typed getters decode strictly (see `SQLDecodable`) and throw `StorageError` naming
/// the column on a type mismatch:
/// ```swift
/// let id: Int64 = try row.get("id")
/// let note = try row.get("note", as: String?.self)
/// ```
public struct Row: Sendable {
    /// The values, in column order.
    public let values: [SQLValue]
    let columns: RowColumns

    init(values: [SQLValue], columns: RowColumns) {
        self.values = values
        self.columns = columns
    }

    /// Creates a row from names and values (for tests and other backends).
    public init(columnNames: [String], values: [SQLValue]) {
        precondition(columnNames.count == values.count, "one name per value")
        self.init(values: values, columns: RowColumns(names: columnNames))
    }

    /// Column names, in order.
    public var columnNames: [String] { columns.names }

    /// Number of columns.
    public var count: Int { values.count }

    /// The raw value at `index` (traps if out of range, like an array).
    public subscript(index: Int) -> SQLValue { values[index] }

    /// The raw value of column `name`, or `nil` when the row has no such column.
    public subscript(name: String) -> SQLValue? {
        columns.index(of: name).map { values[$0] }
    }

    /// The index of column `name`, if present.
    public func index(of name: String) -> Int? { columns.index(of: name) }

    /// The value at `index` decoded as `T`; throws `.columnNotFound` or `.typeMismatch`.
    public func get<T: SQLDecodable>(_ index: Int, as type: T.Type = T.self) throws -> T {
        guard values.indices.contains(index) else {
            throw StorageError(kind: .columnNotFound, message: "no column at index \(index) (row has \(values.count))")
        }
        return try decode(T.self, at: index)
    }

    /// The value of column `name` decoded as `T`; throws `.columnNotFound` or `.typeMismatch`.
    public func get<T: SQLDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let index = columns.index(of: name) else {
            throw StorageError(kind: .columnNotFound,
                               message: "no column named '\(name)' (columns: \(columns.names.joined(separator: ", ")))")
        }
        return try decode(T.self, at: index)
    }

    private func decode<T: SQLDecodable>(_ type: T.Type, at index: Int) throws -> T {
        do {
            return try T(sqlValue: values[index])
        } catch let error as StorageError where error.kind == .typeMismatch {
            let name = index < columns.names.count ? columns.names[index] : "?"
            throw StorageError(kind: .typeMismatch, message: "column '\(name)' (index \(index)): \(error.message)")
        }
    }
}
