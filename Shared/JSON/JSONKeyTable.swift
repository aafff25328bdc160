/// The keys of one `CodingKey` type already written as JSON (`"key":`, escaped by
/// `JSONEscaper`), found by the key value's bit pattern (see `JSONKeyCache`).
///
/// A table never changes once made: a key seen for the first time makes a new table with
/// one more entry, so tables are read from any thread without a lock. A table keeps the one
/// it was made from alive, and the cache keeps the latest: no table handed out is ever freed
/// (a few kilobytes per key type), so writers refer to them without reference counting.
final class JSONKeyTable: @unchecked Sendable {
    /// The table this one was made from.
    private let previous: JSONKeyTable?
    /// `offset << 32 | length` of each pattern's entry in `bytes`; 0 where none is known yet.
    private let slots: UnsafeMutablePointer<UInt64>
    private let slotCount: Int
    /// The entries, each padded to a multiple of 8 bytes (so that they can be copied by word).
    private let bytes: UnsafeMutablePointer<UInt8>
    private let byteCount: Int

    /// An empty table.
    convenience init() {
        self.init(slotCount: 0, byteCount: 0, previous: nil)
    }

    private init(slotCount: Int, byteCount: Int, previous: JSONKeyTable?) {
        self.previous = previous
        self.slotCount = slotCount
        self.byteCount = byteCount
        slots = .allocate(capacity: max(slotCount, 1))
        slots.initialize(repeating: 0, count: max(slotCount, 1))
        bytes = .allocate(capacity: max(byteCount, 8))
        bytes.initialize(repeating: 0, count: max(byteCount, 8))
    }

    deinit {
        slots.deallocate()
        bytes.deallocate()
    }

    /// The table's entries, to be read without reference counting (tables are never freed).
    var entries: Entries { Entries(slots: slots, slotCount: slotCount, bytes: bytes) }

    /// The encoded key for bit pattern `pattern`; nil if unknown.
    func entry(_ pattern: Int) -> (start: UnsafePointer<UInt8>, count: Int)? { entries.entry(pattern) }

    /// A table's storage (valid for good: tables are never freed).
    struct Entries {
        let slots: UnsafeMutablePointer<UInt64>
        let slotCount: Int
        let bytes: UnsafeMutablePointer<UInt8>

        /// The encoded key for bit pattern `pattern` (its length; the bytes are padded to whole
        /// words); nil if unknown.
        @inline(__always) func entry(_ pattern: Int) -> (start: UnsafePointer<UInt8>, count: Int)? {
            guard pattern < slotCount else { return nil }
            let slot = slots[pattern]
            guard slot != 0 else { return nil }
            return (UnsafePointer(bytes + Int(truncatingIfNeeded: slot &>> 32)), Int(truncatingIfNeeded: slot & 0xFFFF_FFFF))
        }
    }

    /// This table with `key` (its unquoted text) encoded for `pattern`.
    func adding(_ key: String, for pattern: Int) -> JSONKeyTable {
        var encoded: [UInt8] = []
        encoded.reserveCapacity(key.utf8.count + 3)
        JSONEscaper.appendQuoted(key, to: &encoded)
        encoded.append(0x3A)
        let padded = (encoded.count + 7) & ~7
        let table = JSONKeyTable(slotCount: max(slotCount, pattern + 1), byteCount: byteCount + padded, previous: self)
        table.slots.update(from: slots, count: slotCount)
        table.bytes.update(from: bytes, count: byteCount)
        (table.bytes + byteCount).update(from: encoded, count: encoded.count)
        table.slots[pattern] = UInt64(byteCount) &<< 32 | UInt64(encoded.count)
        return table
    }
}
