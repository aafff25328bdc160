#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A Swift value that can be bound to a `?` placeholder of a SQL statement.
///
/// Conforming types: `SQLValue`, `Int`, `Int64`, `Int32`, `Double`, `Bool` (stored as 0/1),
/// `String`, `[UInt8]` and `Data` (blob), `Date` (stored as REAL Unix seconds, see below), `UUID`
/// (stored as its uppercase text form) and `Optional` of any of these (`nil` binds `NULL`).
///
/// **Dates** are stored as `REAL` seconds since 1970-01-01T00:00:00Z (`timeIntervalSince1970`),
/// which keeps sub-second precision, sorts correctly and compares with plain `<`/`>`;
/// in SQL, `datetime(col, 'unixepoch')` renders them as text.
public protocol SQLBindable {
    /// The value to bind.
    var sqlValue: SQLValue { get }
}

extension SQLValue: SQLBindable {
    /// The value itself.
    public var sqlValue: SQLValue { self }
}

extension Int: SQLBindable {
    /// `.integer`.
    public var sqlValue: SQLValue { .integer(Int64(self)) }
}

extension Int64: SQLBindable {
    /// `.integer`.
    public var sqlValue: SQLValue { .integer(self) }
}

extension Int32: SQLBindable {
    /// `.integer`.
    public var sqlValue: SQLValue { .integer(Int64(self)) }
}

extension Double: SQLBindable {
    /// `.real`.
    public var sqlValue: SQLValue { .real(self) }
}

extension Bool: SQLBindable {
    /// `.integer(1)` for `true`, `.integer(0)` for `false`.
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
}

extension String: SQLBindable {
    /// `.text`.
    public var sqlValue: SQLValue { .text(self) }
}

extension Substring: SQLBindable {
    /// `.text`.
    public var sqlValue: SQLValue { .text(String(self)) }
}

extension Array: SQLBindable where Element == UInt8 {
    /// `.blob`.
    public var sqlValue: SQLValue { .blob(self) }
}

extension Data: SQLBindable {
    /// `.blob`.
    public var sqlValue: SQLValue { .blob([UInt8](self)) }
}

extension Date: SQLBindable {
    /// `.real` seconds since 1970 (Unix time, fractional).
    public var sqlValue: SQLValue { .real(timeIntervalSince1970) }
}

extension UUID: SQLBindable {
    /// `.text` with the canonical uppercase form.
    public var sqlValue: SQLValue { .text(uuidString) }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    /// The wrapped value's `sqlValue`, or `.null` for `nil`.
    public var sqlValue: SQLValue {
        switch self {
        case .none: return .null
        case .some(let wrapped): return wrapped.sqlValue
        }
    }
}
