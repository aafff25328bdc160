#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A Swift value that can be read from a column of a result row.
///
/// Decoding is strict: a value of the wrong storage class throws `StorageError` of kind
/// `.typeMismatch` rather than being coerced, with two exceptions where nothing is lost:
/// `Double` and `Date` also accept integers. `NULL` only decodes into an `Optional`.
public protocol SQLDecodable {
    /// Creates the value from `sqlValue`, throwing `StorageError` (`.typeMismatch`) when
    /// the storage class does not fit.
    init(sqlValue: SQLValue) throws
}

extension StorageError {
    /// A `.typeMismatch` error for decoding `value` as `type`.
    static func mismatch(_ type: Any.Type, _ value: SQLValue) -> StorageError {
        StorageError(kind: .typeMismatch, message: "expected \(type), found \(value.typeName)")
    }
}

extension SQLValue: SQLDecodable {
    /// The value itself; never throws.
    public init(sqlValue: SQLValue) throws { self = sqlValue }
}

extension Int64: SQLDecodable {
    /// Accepts `.integer` only.
    public init(sqlValue: SQLValue) throws {
        guard case .integer(let v) = sqlValue else { throw StorageError.mismatch(Int64.self, sqlValue) }
        self = v
    }
}

extension Int: SQLDecodable {
    /// Accepts `.integer` only.
    public init(sqlValue: SQLValue) throws {
        guard case .integer(let v) = sqlValue, let i = Int(exactly: v) else {
            throw StorageError.mismatch(Int.self, sqlValue)
        }
        self = i
    }
}

extension Int32: SQLDecodable {
    /// Accepts `.integer` in `Int32` range only.
    public init(sqlValue: SQLValue) throws {
        guard case .integer(let v) = sqlValue, let i = Int32(exactly: v) else {
            throw StorageError.mismatch(Int32.self, sqlValue)
        }
        self = i
    }
}

extension Double: SQLDecodable {
    /// Accepts `.real` and `.integer`.
    public init(sqlValue: SQLValue) throws {
        switch sqlValue {
        case .real(let v): self = v
        case .integer(let v): self = Double(v)
        default: throw StorageError.mismatch(Double.self, sqlValue)
        }
    }
}

extension Bool: SQLDecodable {
    /// Accepts `.integer`: 0 is `false`, anything else `true`.
    public init(sqlValue: SQLValue) throws {
        guard case .integer(let v) = sqlValue else { throw StorageError.mismatch(Bool.self, sqlValue) }
        self = v != 0
    }
}

extension String: SQLDecodable {
    /// Accepts `.text` only.
    public init(sqlValue: SQLValue) throws {
        guard case .text(let v) = sqlValue else { throw StorageError.mismatch(String.self, sqlValue) }
        self = v
    }
}

extension Array: SQLDecodable where Element == UInt8 {
    /// Accepts `.blob` only.
    public init(sqlValue: SQLValue) throws {
        guard case .blob(let v) = sqlValue else { throw StorageError.mismatch([UInt8].self, sqlValue) }
        self = v
    }
}

extension Data: SQLDecodable {
    /// Accepts `.blob` only.
    public init(sqlValue: SQLValue) throws {
        guard case .blob(let v) = sqlValue else { throw StorageError.mismatch(Data.self, sqlValue) }
        self = Data(v)
    }
}

extension Date: SQLDecodable {
    /// Accepts `.real` or `.integer` Unix seconds.
    public init(sqlValue: SQLValue) throws {
        switch sqlValue {
        case .real(let v): self.init(timeIntervalSince1970: v)
        case .integer(let v): self.init(timeIntervalSince1970: Double(v))
        default: throw StorageError.mismatch(Date.self, sqlValue)
        }
    }
}

extension UUID: SQLDecodable {
    /// Accepts `.text` holding a UUID string.
    public init(sqlValue: SQLValue) throws {
        guard case .text(let s) = sqlValue, let u = UUID(uuidString: s) else {
            throw StorageError.mismatch(UUID.self, sqlValue)
        }
        self = u
    }
}

extension Optional: SQLDecodable where Wrapped: SQLDecodable {
    /// `nil` for `.null`, otherwise the wrapped type's decoding.
    public init(sqlValue: SQLValue) throws {
        if case .null = sqlValue { self = .none } else { self = .some(try Wrapped(sqlValue: sqlValue)) }
    }
}
