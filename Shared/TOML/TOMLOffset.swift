/// The offset of an offset date-time, as written.
public enum TOMLOffset: Sendable, Hashable {
    /// `Z` (or `z`): UTC.
    case utc
    /// `+hh:mm` or `-hh:mm`, in minutes east of UTC (`-00:00` is 0).
    case minutes(Int)

    /// The offset in minutes east of UTC (0 for `Z`).
    public var totalMinutes: Int {
        switch self {
        case .utc: return 0
        case .minutes(let minutes): return minutes
        }
    }
}
