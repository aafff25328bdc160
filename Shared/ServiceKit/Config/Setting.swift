/// One environment setting: its name, default and meaning (printed by `--help`).
public struct Setting: Sendable {
    /// The environment variable's name.
    public let name: String
    /// The value used when the variable is unset.
    public let defaultValue: String
    /// One line for `--help`.
    public let help: String
    /// Secret values are never printed or logged.
    public let secret: Bool

    /// A setting; `secret` ones are masked in `--help` and the start-up log.
    public init(_ name: String, _ defaultValue: String, _ help: String, secret: Bool = false) {
        self.name = name
        self.defaultValue = defaultValue
        self.help = help
        self.secret = secret
    }
}
