/// The bytes the TOML scanner looks for, by name.
extension UInt8 {
    static let tab = UInt8(ascii: "\t")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let hash = UInt8(ascii: "#")
    static let quote = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'")
    static let backslash = UInt8(ascii: "\\")
    static let equals = UInt8(ascii: "=")
    static let comma = UInt8(ascii: ",")
    static let dot = UInt8(ascii: ".")
    static let colon = UInt8(ascii: ":")
    static let plus = UInt8(ascii: "+")
    static let minus = UInt8(ascii: "-")
    static let underscore = UInt8(ascii: "_")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")

    /// A control character TOML refuses outside strings' escapes (all but tab).
    var isControl: Bool { (self < 0x20 && self != .tab) || self == 0x7F }

    /// `0`…`9`.
    var isDigit: Bool { self >= 0x30 && self <= 0x39 }

    /// A character of a bare key: `A-Z a-z 0-9 _ -`.
    var isBareKey: Bool {
        switch self {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, .underscore, .minus: return true
        default: return false
        }
    }
}
