import JSON
import TOML

/// Compares a parsed document with toml-test's expected output, where every leaf is
/// `{"type": T, "value": "<text>"}`: strings exactly, integers and floats by value
/// (`nan` equals `nan`), date-times with an offset as instants, local ones by their
/// parts (a fraction's trailing zeros do not count). The expected texts are read here,
/// independently of the parser under test.
enum TaggedJSON {
    /// The first difference between `value` and `expected`, described with its key path,
    /// or nil when they match.
    static func difference(_ value: TOMLValue, _ expected: JSONValue, at path: String = "") -> String? {
        switch expected {
        case .object(let object) where isLeaf(object):
            return leafDifference(value, type: object["type"]!.string!, text: object["value"]!.string!, at: path)
        case .object(let object):
            guard case .table(let table) = value else { return "\(path): expected a table, got \(value.typeName)" }
            let expectedKeys = Set(object.keys)
            let actualKeys = Set(table.keys)
            guard expectedKeys == actualKeys else {
                return "\(path): keys differ: missing \(expectedKeys.subtracting(actualKeys).sorted()), extra \(actualKeys.subtracting(expectedKeys).sorted())"
            }
            for member in object {
                if let difference = difference(table[member.key]!, member.value, at: path + "." + member.key) { return difference }
            }
            return nil
        case .array(let elements):
            guard case .array(let actual) = value else { return "\(path): expected an array, got \(value.typeName)" }
            guard actual.count == elements.count else { return "\(path): expected \(elements.count) elements, got \(actual.count)" }
            for (index, element) in elements.enumerated() {
                if let difference = difference(actual[index], element, at: "\(path)[\(index)]") { return difference }
            }
            return nil
        default:
            return "\(path): unexpected expected-JSON shape \(expected)"
        }
    }

    /// True for `{"type": "<string>", "value": "<string>"}`.
    private static func isLeaf(_ object: JSONObject) -> Bool {
        object.count == 2 && object["type"]?.string != nil && object["value"]?.string != nil
    }

    private static func leafDifference(_ value: TOMLValue, type: String, text: String, at path: String) -> String? {
        let matches: Bool
        switch (type, value) {
        case ("string", .string(let actual)):
            matches = actual == text
        case ("integer", .integer(let actual)):
            matches = Int64(text) == actual
        case ("float", .float(let actual)):
            let expected: Double? = switch text {
            case "inf", "+inf": .infinity
            case "-inf": -.infinity
            case "nan", "+nan", "-nan": .nan
            default: Double(text)
            }
            matches = expected.map { $0 == actual || ($0.isNaN && actual.isNaN) } ?? false
        case ("bool", .boolean(let actual)):
            matches = (text == "true" && actual) || (text == "false" && !actual)
        case ("datetime", .offsetDateTime(let actual)):
            matches = ExpectedDateTime(text).map { $0.instant == instant(actual) } ?? false
        case ("datetime-local", .localDateTime(let actual)), ("date-local", .localDate(let actual)), ("time-local", .localTime(let actual)):
            matches = ExpectedDateTime(text).map { $0.localParts == localParts(actual) } ?? false
        default:
            return "\(path): expected \(type) \(text), got \(value.typeName) \(value)"
        }
        return matches ? nil : "\(path): expected \(type) \(text), got \(value)"
    }

    /// Seconds since 1970 and the fraction's digits (trailing zeros dropped).
    private static func instant(_ value: TOMLDateTime) -> [String] {
        guard let date = value.date, let time = value.time else { return ["incomplete"] }
        let seconds = days(year: date.year, month: date.month, day: date.day) * 86_400
            + time.hour * 3600 + time.minute * 60 + time.second - (value.offset?.totalMinutes ?? 0) * 60
        return [String(seconds), trimmed(time.fraction)]
    }

    /// The parts of a local date-time, date or time as numbers and trimmed fraction.
    private static func localParts(_ value: TOMLDateTime) -> [String] {
        var parts: [String] = []
        if let date = value.date { parts += [String(date.year), String(date.month), String(date.day)] }
        if let time = value.time { parts += [String(time.hour), String(time.minute), String(time.second), trimmed(time.fraction)] }
        return parts
    }

    /// Days from 1970-01-01 to a date (proleptic Gregorian).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Fraction digits without trailing zeros.
    static func trimmed(_ fraction: some StringProtocol) -> String {
        var digits = String(fraction)
        while digits.hasSuffix("0") { digits.removeLast() }
        return digits
    }

    /// An expected date-time text (`1987-07-05T17:45:56.600+08:00`, `07:32:00`, …) in parts.
    struct ExpectedDateTime {
        var instant: [String] = []
        var localParts: [String] = []

        init?(_ text: String) {
            var rest = Substring(text)
            var date: (Int, Int, Int)?
            var time: (Int, Int, Int, String)?
            if rest.count >= 10, rest[rest.index(rest.startIndex, offsetBy: 4)] == "-" {
                let pieces = rest.prefix(10).split(separator: "-")
                guard pieces.count == 3, let year = Int(pieces[0]), let month = Int(pieces[1]), let day = Int(pieces[2]) else { return nil }
                date = (year, month, day)
                rest = rest.dropFirst(10)
                if let first = rest.first, first == "T" || first == "t" || first == " " { rest = rest.dropFirst() }
            }
            if rest.count >= 8, rest[rest.index(rest.startIndex, offsetBy: 2)] == ":" {
                let pieces = rest.prefix(8).split(separator: ":")
                guard pieces.count == 3, let hour = Int(pieces[0]), let minute = Int(pieces[1]), let second = Int(pieces[2]) else { return nil }
                rest = rest.dropFirst(8)
                var fraction = ""
                if rest.first == "." {
                    rest = rest.dropFirst()
                    let digits = rest.prefix { $0.isASCII && $0.isNumber }
                    fraction = String(digits)
                    rest = rest.dropFirst(digits.count)
                }
                time = (hour, minute, second, fraction)
            }
            var offsetMinutes: Int?
            if rest == "Z" || rest == "z" {
                offsetMinutes = 0
            } else if let sign = rest.first, sign == "+" || sign == "-", rest.count == 6 {
                let pieces = rest.dropFirst().split(separator: ":")
                guard pieces.count == 2, let hours = Int(pieces[0]), let minutes = Int(pieces[1]) else { return nil }
                offsetMinutes = (sign == "-" ? -1 : 1) * (hours * 60 + minutes)
            } else if !rest.isEmpty {
                return nil
            }
            if let date { localParts += [String(date.0), String(date.1), String(date.2)] }
            if let time { localParts += [String(time.0), String(time.1), String(time.2), TaggedJSON.trimmed(time.3)] }
            if let offsetMinutes, let date, let time {
                let seconds = TaggedJSON.days(year: date.0, month: date.1, day: date.2) * 86_400
                    + time.0 * 3600 + time.1 * 60 + time.2 - offsetMinutes * 60
                instant = [String(seconds), TaggedJSON.trimmed(time.3)]
            }
        }
    }
}
