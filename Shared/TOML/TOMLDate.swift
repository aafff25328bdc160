/// A calendar date as written in a TOML date or date-time (`1979-05-27`).
public struct TOMLDate: Sendable, Hashable {
    /// The year, 0…9999.
    public var year: Int
    /// The month, 1…12.
    public var month: Int
    /// The day of the month, 1…28/29/30/31.
    public var day: Int

    /// A date; the parser checks the ranges, code building one should too.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// True when `day` exists in `month` of `year` (leap years included).
    public var isValid: Bool {
        guard (0...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        return day <= TOMLDate.daysIn(month: month, year: year)
    }

    /// The number of days in `month` of `year`.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
