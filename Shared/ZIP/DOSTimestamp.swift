import Foundation

/// A modification time in the forms a ZIP entry carries it: MS-DOS date and time fields
/// (UTC, two-second steps, clamped to 1980…2107) and Unix seconds for the extended
/// timestamp field (clamped to 32 bits).
struct DOSTimestamp: Equatable {
    /// `(year - 1980) << 9 | month << 5 | day`.
    let date: UInt16
    /// `hour << 11 | minute << 5 | second / 2`.
    let time: UInt16
    /// Seconds since 1970 (UTC), for the `UT` extra field.
    let unixSeconds: Int32

    /// The timestamp of `instant`, read in UTC.
    init(_ instant: Date) {
        let seconds = Int64((instant.timeIntervalSince1970).rounded(.down))
        unixSeconds = Int32(clamping: seconds)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = DOSTimestamp.civil(fromDays: days)
        if year < 1980 {
            date = 1 << 5 | 1
            time = 0
        } else if year > 2107 {
            date = UInt16(127 << 9 | 12 << 5 | 31)
            time = UInt16(23 << 11 | 59 << 5 | 29)
        } else {
            date = UInt16((Int(year) - 1980) << 9 | month << 5 | day)
            time = UInt16((secondOfDay / 3600) << 11 | (secondOfDay / 60 % 60) << 5 | (secondOfDay % 60) / 2)
        }
    }

    /// The proleptic Gregorian date of a day count from 1970-01-01 (H. Hinnant's algorithm).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
