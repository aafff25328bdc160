/// One TOML value: a string, a number, a boolean, one of the four date-time kinds, an array
/// or a table.
///
/// Two values are equal when they have the same kind and the same content; floats compare
/// by value, except that NaN equals NaN (so a parsed document equals itself), and tables
/// compare their entries whatever their order.
public enum TOMLValue: Sendable, Equatable {
    /// A string (basic, literal or multi-line in the document).
    case string(String)
    /// A 64-bit signed integer (decimal, hexadecimal, octal or binary in the document).
    case integer(Int64)
    /// A 64-bit float (`inf` and `nan` included).
    case float(Double)
    /// `true` or `false`.
    case boolean(Bool)
    /// A date and time with an offset (`1979-05-27T07:32:00Z`, `…-07:00`).
    case offsetDateTime(TOMLDateTime)
    /// A date and time without an offset (`1979-05-27T07:32:00`).
    case localDateTime(TOMLDateTime)
    /// A date alone (`1979-05-27`).
    case localDate(TOMLDateTime)
    /// A time of day alone (`07:32:00.999`).
    case localTime(TOMLDateTime)
    /// An array (its elements may be of different kinds).
    case array([TOMLValue])
    /// A table (a `[header]` section, an array-of-tables element, an inline table or a
    /// dotted-key table).
    case table(TOMLTable)

    /// The string, if this is one.
    public var string: String? { if case .string(let value) = self { return value }; return nil }
    /// The integer, if this is one.
    public var integer: Int64? { if case .integer(let value) = self { return value }; return nil }
    /// The float, if this is one (an integer is not converted).
    public var float: Double? { if case .float(let value) = self { return value }; return nil }
    /// The boolean, if this is one.
    public var boolean: Bool? { if case .boolean(let value) = self { return value }; return nil }
    /// The array, if this is one.
    public var array: [TOMLValue]? { if case .array(let value) = self { return value }; return nil }
    /// The table, if this is one.
    public var table: TOMLTable? { if case .table(let value) = self { return value }; return nil }

    /// The date-time of any of the four date-time kinds.
    public var dateTime: TOMLDateTime? {
        switch self {
        case .offsetDateTime(let value), .localDateTime(let value), .localDate(let value), .localTime(let value):
            return value
        default:
            return nil
        }
    }

    /// The kind's name as TOML calls it, for messages: `string`, `integer`, `float`,
    /// `boolean`, `offset date-time`, `local date-time`, `local date`, `local time`,
    /// `array` or `table`.
    public var typeName: String {
        switch self {
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .boolean: return "boolean"
        case .offsetDateTime: return "offset date-time"
        case .localDateTime: return "local date-time"
        case .localDate: return "local date"
        case .localTime: return "local time"
        case .array: return "array"
        case .table: return "table"
        }
    }

    /// Same kind and content; NaN equals NaN; tables ignore entry order.
    public static func == (lhs: TOMLValue, rhs: TOMLValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): return a == b
        case (.integer(let a), .integer(let b)): return a == b
        case (.float(let a), .float(let b)): return a == b || (a.isNaN && b.isNaN)
        case (.boolean(let a), .boolean(let b)): return a == b
        case (.offsetDateTime(let a), .offsetDateTime(let b)): return a == b
        case (.localDateTime(let a), .localDateTime(let b)): return a == b
        case (.localDate(let a), .localDate(let b)): return a == b
        case (.localTime(let a), .localTime(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.table(let a), .table(let b)): return a == b
        default: return false
        }
    }
}
