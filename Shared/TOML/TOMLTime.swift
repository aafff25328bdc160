/// A time of day as written in a TOML time or date-time (`07:32:00.999999`).
public struct TOMLTime: Sendable, Hashable {
    /// The hour, 0…23.
    public var hour: Int
    /// The minute, 0…59.
    public var minute: Int
    /// The second, 0…60 (60 for a leap second).
    public var second: Int
    /// The digits after the decimal point exactly as written (any number of them), or ""
    /// when the seconds have no fraction.
    public var fraction: String

    /// A time; `fraction` holds decimal digits only.
    public init(hour: Int, minute: Int, second: Int, fraction: String = "") {
        self.hour = hour
        self.minute = minute
        self.second = second
        self.fraction = fraction
    }

    /// The fraction as nanoseconds (digits past the ninth are truncated).
    public var nanosecond: Int {
        var value = 0
        var digits = 0
        for byte in fraction.utf8 where digits < 9 {
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
        }
        while digits < 9 {
            value *= 10
            digits += 1
        }
        return value
    }
}
