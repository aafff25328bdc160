/// Why an upload path or workspace name is refused.
public struct UploadPathError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The refused path (or workspace name, or the clashing prefix).
    public var path: String
    /// Why it is refused.
    public var reason: String

    /// A refusal of `path` for `reason`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `invalid path '<path>': <reason>`, the path quoted with control characters escaped.
    public var description: String { "invalid path \(Self.quoted(path)): \(reason)" }

    /// `path` in single quotes, at most 120 scalars (then `…`), control characters as `\u{…}`.
    static func quoted(_ path: String) -> String {
        var quoted = ""
        for scalar in path.unicodeScalars.prefix(120) {
            if scalar.value < 0x20 || scalar.value == 0x7f {
                quoted += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                quoted.unicodeScalars.append(scalar)
            }
        }
        return "'" + quoted + (path.unicodeScalars.count > 120 ? "…" : "") + "'"
    }
}
