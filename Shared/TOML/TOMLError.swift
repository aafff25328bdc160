/// Why a document is not TOML: the line and column (both from 1; the column counts
/// characters, i.e. Unicode scalars) where the parser found out, and what is wrong.
public struct TOMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The line, from 1.
    public var line: Int
    /// The column in characters (Unicode scalars), from 1.
    public var column: Int
    /// What is wrong, e.g. `duplicate key "name"`.
    public var message: String

    /// An error at `line`, `column`.
    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `line 3, column 7: duplicate key "name"`.
    public var description: String { "line \(line), column \(column): \(message)" }
}
