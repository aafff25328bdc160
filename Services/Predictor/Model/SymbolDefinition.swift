/// A definition found in Python source.
public struct SymbolDefinition: Sendable, Equatable, Hashable {
    /// What kind of name this is.
    public enum Kind: UInt8, Sendable {
        /// `def NAME`
        case function
        /// `class NAME`
        case `class`
        /// `NAME = ...`, `for NAME in`, `with ... as NAME`
        case variable
        /// A parameter of a `def`.
        case parameter
        /// A name bound by `import`/`from ... import`.
        case `import`
        /// `self.NAME = ...`
        case attribute
    }
    /// The defined name.
    public var name: String
    /// Its kind.
    public var kind: Kind
    /// Zero-based line number.
    public var line: Int
    /// Indentation column of the defining line (0 = module level).
    public var indent: Int
}
