/// A TOML date-time of any of the four kinds, holding its parts exactly as written: an
/// offset date-time has all three parts, a local date-time a date and a time, a local
/// date only a date and a local time only a time. Which `TOMLValue` case holds it says
/// the kind; the parts agree with it.
public struct TOMLDateTime: Sendable, Hashable, CustomStringConvertible {
    /// The date, absent for a local time.
    public var date: TOMLDate?
    /// The time of day, absent for a local date.
    public var time: TOMLTime?
    /// The offset, present only for an offset date-time.
    public var offset: TOMLOffset?

    /// A date-time of the given parts.
    public init(date: TOMLDate? = nil, time: TOMLTime? = nil, offset: TOMLOffset? = nil) {
        self.date = date
        self.time = time
        self.offset = offset
    }

    /// The RFC 3339 text TOML writes: `1979-05-27T07:32:00.5-07:00`, `1979-05-27`,
    /// `07:32:00` (a `T` between date and time, `Z` for UTC, the fraction as written).
    public var description: String {
        var text = ""
        if let date {
            text += TOMLDateTime.digits(date.year, 4) + "-" + TOMLDateTime.digits(date.month, 2) + "-"
                + TOMLDateTime.digits(date.day, 2)
        }
        if let time {
            if date != nil { text += "T" }
            text += TOMLDateTime.digits(time.hour, 2) + ":" + TOMLDateTime.digits(time.minute, 2) + ":"
                + TOMLDateTime.digits(time.second, 2)
            if !time.fraction.isEmpty { text += "." + time.fraction }
        }
        switch offset {
        case nil: break
        case .utc: text += "Z"
        case .minutes(let minutes):
            text += minutes < 0 ? "-" : "+"
            text += TOMLDateTime.digits(abs(minutes) / 60, 2) + ":" + TOMLDateTime.digits(abs(minutes) % 60, 2)
        }
        return text
    }

    /// `value` in decimal, zero-padded to `width` digits.
    private static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
