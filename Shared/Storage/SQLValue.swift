/// A single value as SQL stores it: one of the five SQLite storage classes.
///
/// `SQLValue` is backend-neutral (it maps onto PostgreSQL's `NULL`, `int8`, `float8`,
/// `text` and `bytea` as well) and is what statements bind and what rows hold.
public enum SQLValue: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// A 64-bit signed integer.
    case integer(Int64)
    /// A 64-bit IEEE floating point number.
    case real(Double)
    /// UTF-8 text (may contain any Unicode scalar, including U+0000).
    case text(String)
    /// Raw bytes (may contain zero bytes; an empty blob is not `NULL`).
    case blob([UInt8])

    /// `true` for `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The name of the storage class, as used in error messages (`"integer"`, `"text"`, ...).
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .integer: return "integer"
        case .real: return "real"
        case .text: return "text"
        case .blob: return "blob"
        }
    }
}
