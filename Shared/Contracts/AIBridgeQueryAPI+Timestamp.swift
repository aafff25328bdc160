extension AIBridgeQueryAPI {
    /// `text` as Go's `%q` writes it in coder's error texts: in double quotes, with `"`,
    /// `\`, and control characters escaped.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A point in time with microsecond precision (what PostgreSQL keeps and coder
    /// returns), written as Go's `time.RFC3339Nano` in UTC: `2026-03-01T10:00:00.5Z`
    /// (fraction without trailing zeros, none when whole). Parsed with Go's rules and error
    /// texts for the layout `2006-01-02T15:04:05.999999999Z07:00` (`parse`).
    public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
        /// Microseconds since 1970-01-01T00:00:00Z.
        public var microseconds: Int64

        /// A timestamp.
        public init(microseconds: Int64) { self.microseconds = microseconds }

        /// Ordered by time.
        public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.microseconds < rhs.microseconds }

        /// The RFC 3339 text.
        public var description: String { formatted }

        /// The RFC 3339 text, UTC, fraction trimmed.
        public var formatted: String {
            let perDay: Int64 = 86_400_000_000
            var days = microseconds / perDay
            var inDay = microseconds % perDay
            if inDay < 0 { inDay += perDay; days -= 1 }
            let civil = Self.civil(fromDays: days)
            let seconds = inDay / 1_000_000
            let fraction = inDay % 1_000_000
            var text = Self.digits(civil.year, 4) + "-" + Self.digits(civil.month, 2) + "-" + Self.digits(civil.day, 2)
            text += "T" + Self.digits(seconds / 3600, 2) + ":" + Self.digits(seconds / 60 % 60, 2) + ":" + Self.digits(seconds % 60, 2)
            if fraction != 0 {
                var digits = Self.digits(fraction, 6)
                while digits.hasSuffix("0") { digits.removeLast() }
                text += "." + digits
            }
            return text + "Z"
        }

        /// Decodes the RFC 3339 text.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            do throws(ParseError) {
                self = try Self.parse(text)
            } catch {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
            }
        }

        /// Encodes the RFC 3339 text.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(formatted)
        }

        /// Go's layout `time.RFC3339Nano`, as its error texts name it.
        public static let layout = "2006-01-02T15:04:05.999999999Z07:00"

        /// Parses `text` as Go's `time.Parse(time.RFC3339Nano, text)` does (digits beyond
        /// microseconds are dropped), with Go's error text on failure.
        public static func parse(_ text: String) throws(ParseError) -> Timestamp {
            var reader = Reader(text)
            func bad(_ element: String) -> ParseError {
                ParseError(message: "parsing time \(quote(text)) as \(quote(layout)): cannot parse \(quote(reader.rest)) as \(quote(element))")
            }
            func range(_ what: String) -> ParseError {
                ParseError(message: "parsing time \(quote(text)): \(what) out of range")
            }
            guard let year = reader.number(digits: 4) else { throw bad("2006") }
            guard reader.literal("-") else { throw bad("-") }
            guard let month = reader.number(digits: 2) else { throw bad("01") }
            if month < 1 || month > 12 { throw range("month") }
            guard reader.literal("-") else { throw bad("-") }
            guard let day = reader.number(digits: 2) else { throw bad("02") }
            guard reader.literal("T") else { throw bad("T") }
            guard let hour = reader.number(digits: 2) ?? reader.number(digits: 1) else { throw bad("15") }
            if hour > 23 { throw range("hour") }
            guard reader.literal(":") else { throw bad(":") }
            guard let minute = reader.number(digits: 2) else { throw bad("04") }
            if minute > 59 { throw range("minute") }
            guard reader.literal(":") else { throw bad(":") }
            guard let second = reader.number(digits: 2) else { throw bad("05") }
            if second > 59 { throw range("second") }
            var micros: Int64 = 0
            if reader.fractionFollows() {
                _ = reader.literal(".") || reader.literal(",")
                var scale: Int64 = 100_000
                while let digit = reader.digit() {
                    micros += digit * scale
                    scale /= 10
                }
            }
            var offsetSeconds: Int64 = 0
            let zoneStart = reader.mark
            if !reader.literal("Z") {
                let sign: Int64
                if reader.literal("+") { sign = 1 } else if reader.literal("-") { sign = -1 } else { throw bad("Z07:00") }
                guard let hours = reader.number(digits: 2), reader.literal(":"), let minutes = reader.number(digits: 2) else {
                    reader.rewind(to: zoneStart)
                    throw bad("Z07:00")
                }
                offsetSeconds = sign * (hours * 3600 + minutes * 60)
            }
            if !reader.rest.isEmpty { throw ParseError(message: "parsing time \(quote(text)): extra text: \(quote(reader.rest))") }
            if day < 1 || day > daysIn(month: month, year: year) { throw range("day") }
            let days = Self.days(year: year, month: month, day: day)
            let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
            return Timestamp(microseconds: seconds * 1_000_000 + micros)
        }

        /// A parse failure with Go's text.
        public struct ParseError: Error, Sendable, Equatable {
            /// What Go's `time.Parse` would say.
            public var message: String

            /// An error with Go's text.
            public init(message: String) { self.message = message }
        }

        static func quote(_ text: String) -> String { AIBridgeQueryAPI.quoted(text) }

        static func digits(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }

        static func isLeap(_ year: Int64) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

        static func daysIn(month: Int64, year: Int64) -> Int64 {
            switch month {
            case 2: isLeap(year) ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        }

        /// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
        static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yearOfEra = y - era * 400
            let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            return era * 146_097 + dayOfEra - 719_468
        }

        /// The civil date of a day count since 1970-01-01 (`civil_from_days`).
        static func civil(fromDays count: Int64) -> (year: Int64, month: Int64, day: Int64) {
            let z = count + 719_468
            let era = (z >= 0 ? z : z - 146_096) / 146_097
            let dayOfEra = z - era * 146_097
            let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
            let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
            let shifted = (5 * dayOfYear + 2) / 153
            let day = dayOfYear - (153 * shifted + 2) / 5 + 1
            let month = shifted < 10 ? shifted + 3 : shifted - 9
            return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
        }

        /// Reads a timestamp's text element by element.
        struct Reader {
            let scalars: [Unicode.Scalar]
            var mark = 0

            init(_ text: String) { scalars = Array(text.unicodeScalars) }

            /// What is left.
            var rest: String {
                var out = String.UnicodeScalarView()
                out.append(contentsOf: scalars[mark...])
                return String(out)
            }

            mutating func rewind(to position: Int) { mark = max(0, position) }

            /// Exactly `digits` ASCII digits.
            mutating func number(digits: Int) -> Int64? {
                guard mark + digits <= scalars.count else { return nil }
                var value: Int64 = 0
                for scalar in scalars[mark..<(mark + digits)] {
                    guard let digit = Self.value(scalar) else { return nil }
                    value = value * 10 + digit
                }
                mark += digits
                return value
            }

            mutating func digit() -> Int64? {
                guard mark < scalars.count, let digit = Self.value(scalars[mark]) else { return nil }
                mark += 1
                return digit
            }

            mutating func literal(_ text: Unicode.Scalar) -> Bool {
                guard mark < scalars.count, scalars[mark] == text else { return false }
                mark += 1
                return true
            }

            /// A `.` or `,` followed by a digit (Go takes a fraction only then).
            func fractionFollows() -> Bool {
                mark + 1 < scalars.count && (scalars[mark] == "." || scalars[mark] == ",") && Self.value(scalars[mark + 1]) != nil
            }

            static func value(_ scalar: Unicode.Scalar) -> Int64? {
                scalar.value >= 48 && scalar.value <= 57 ? Int64(scalar.value - 48) : nil
            }
        }
    }
}
