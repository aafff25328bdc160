import HTTPCore

/// Header names to drop, with a bit set per name length (most headers are kept after
/// one bit test). Built once.
struct HeaderDropList: Sendable {
    /// The names, as given.
    let names: [String]
    /// Bit `n` is set when a name is `n` bytes long (bit 63: 63 bytes or more).
    let lengths: UInt64

    /// A list of `names` (compared without regard to case).
    init(_ names: [String]) {
        self.names = names
        var lengths: UInt64 = 0
        for name in names { lengths |= 1 << UInt64(min(name.utf8.count, 63)) }
        self.lengths = lengths
    }

    /// Whether `name`, `length` bytes of UTF-8 long, is on the list.
    func contains(_ name: String, length: Int) -> Bool {
        guard lengths & (1 << UInt64(min(length, 63))) != 0 else { return false }
        for dropped in names where dropped.utf8.count == length && HTTPHeaders.equalsIgnoringCase(dropped, name) { return true }
        return false
    }
}
