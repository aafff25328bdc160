/// The type Harbor's `TaskConfig` (pydantic, lax mode) expects of a task.toml value, and
/// what it accepts: numbers also as booleans and numeric strings, integers also as whole
/// floats, booleans and integer strings, strings only as strings.
indirect enum TOMLFieldType: Sendable {
    /// A string.
    case string
    /// A float (`timeout_sec`).
    case number
    /// An integer (`memory_mb`).
    case integer
    /// A boolean.
    case boolean
    /// A user: a string or an integer.
    case user
    /// One of these strings.
    case choice([String])
    /// An array of strings.
    case strings
    /// A table of strings (`env`).
    case stringTable
    /// Any table (`[metadata]`).
    case anyTable
    /// A number, or a table of numbers (`min_reward`).
    case numberOrNumberTable
    /// A table with these keys (others are unknown, flagged as warnings).
    case table(TOMLSection)
    /// An array of such tables.
    case tables(TOMLSection)
    /// An array whose items are strings or such tables (`artifacts`).
    case stringsOrTables(TOMLSection)

    /// How a message names the type.
    var name: String {
        switch self {
        case .string: "a string"
        case .number: "a number"
        case .integer: "an integer"
        case .boolean: "a boolean"
        case .user: "a string or an integer"
        case .choice(let values): "one of " + values.map { "'\($0)'" }.joined(separator: ", ")
        case .strings: "an array of strings"
        case .stringTable: "a table of strings"
        case .anyTable: "a table"
        case .numberOrNumberTable: "a number or a table of numbers"
        case .table: "a table"
        case .tables: "an array of tables"
        case .stringsOrTables: "an array of strings or tables"
        }
    }
}
