/// Offset date-times, local date-times, local dates and local times (RFC 3339, with
/// TOML's space or lower-case `t` between date and time; seconds are required).
extension TOMLScanner {
    /// True when the cursor is at `dddd-`, the start of a date.
    var startsDate: Bool {
        (0..<4).allSatisfy { peek($0)?.isDigit == true } && peek(4) == .minus
    }

    /// True when the cursor is at `dd:`, the start of a time.
    var startsTime: Bool {
        peek(0)?.isDigit == true && peek(1)?.isDigit == true && peek(2) == .colon
    }

    /// Reads a date, and the time and offset after it if there are any.
    mutating func parseDateTime() throws(TOMLError) -> TOMLValue {
        let start = position
        let year = try fixedDigits(4, "year")
        try expect(.minus, "'-' after the year")
        let month = try fixedDigits(2, "month")
        try expect(.minus, "'-' after the month")
        let day = try fixedDigits(2, "day")
        let date = TOMLDate(year: year, month: month, day: day)
        guard (1...12).contains(month) else { throw error("month \(month) is not 1 to 12", at: start) }
        guard date.isValid else { throw error("day \(day) does not exist in \(year)-\(month < 10 ? "0" : "")\(month)", at: start) }

        switch peek() ?? 0 {
        case UInt8(ascii: "T"), UInt8(ascii: "t"):
            position += 1
            guard startsTime else { throw error("expected a time (hh:mm:ss) after 'T'") }
        case .space where peek(1)?.isDigit == true && peek(2)?.isDigit == true && peek(3) == .colon:
            position += 1
        default:
            return .localDate(TOMLDateTime(date: date))
        }
        let time = try parseTime()
        switch peek() ?? 0 {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            position += 1
            return .offsetDateTime(TOMLDateTime(date: date, time: time, offset: .utc))
        case .plus, .minus:
            let sign = peek() == .minus ? -1 : 1
            let offsetStart = position
            position += 1
            let hours = try fixedDigits(2, "offset hour")
            try expect(.colon, "':' in the offset")
            let minutes = try fixedDigits(2, "offset minute")
            guard hours <= 23, minutes <= 59 else { throw error("offset out of range", at: offsetStart) }
            return .offsetDateTime(TOMLDateTime(date: date, time: time, offset: .minutes(sign * (hours * 60 + minutes))))
        default:
            return .localDateTime(TOMLDateTime(date: date, time: time))
        }
    }

    /// Reads `hh:mm:ss` with an optional fraction.
    mutating func parseTime() throws(TOMLError) -> TOMLTime {
        let start = position
        let hour = try fixedDigits(2, "hour")
        try expect(.colon, "':' after the hour")
        let minute = try fixedDigits(2, "minute")
        guard peek() == .colon else { throw error("expected ':' and seconds after the minute (TOML 1.0 requires seconds)") }
        position += 1
        let second = try fixedDigits(2, "second")
        var fraction = ""
        if peek() == .dot {
            position += 1
            let fractionStart = position
            while peek()?.isDigit == true { position += 1 }
            guard position > fractionStart else { throw error("expected digits after the decimal point of the seconds") }
            fraction = String(decoding: bytes[fractionStart..<position], as: UTF8.self)
        }
        guard hour <= 23 else { throw error("hour \(hour) is not 0 to 23", at: start) }
        guard minute <= 59 else { throw error("minute \(minute) is not 0 to 59", at: start) }
        guard second <= 60 else { throw error("second \(second) is not 0 to 60", at: start) }
        return TOMLTime(hour: hour, minute: minute, second: second, fraction: fraction)
    }

    /// Reads exactly `count` decimal digits.
    private mutating func fixedDigits(_ count: Int, _ what: String) throws(TOMLError) -> Int {
        var value = 0
        for _ in 0..<count {
            guard let byte = peek(), byte.isDigit else {
                throw error("expected a \(count)-digit \(what), found \(describeNext())")
            }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            position += 1
        }
        return value
    }

    /// Consumes `byte` or fails with "expected <what>".
    private mutating func expect(_ byte: UInt8, _ what: String) throws(TOMLError) {
        guard peek() == byte else { throw error("expected \(what), found \(describeNext())") }
        position += 1
    }
}
