/// A setting that cannot be used: the service refuses to start and names it.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The value does not parse as the setting's type or is outside its range.
    case malformed(setting: String, value: String, expected: String)
    /// The code asked for a setting the service never declared (a misspelt name).
    case undeclared(setting: String)

    /// The setting the error is about.
    public var setting: String {
        switch self {
        case .malformed(let setting, _, _), .undeclared(let setting): setting
        }
    }

    public var description: String {
        switch self {
        case .malformed(let setting, let value, let expected):
            "setting \(setting)=\"\(value)\" is not valid: expected \(expected)"
        case .undeclared(let setting):
            "setting \(setting) is not declared by this service (misspelt name?)"
        }
    }
}
