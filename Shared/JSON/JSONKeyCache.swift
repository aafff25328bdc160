import Synchronization

/// The encoded keys of every `CodingKey` type `JSONWriter` has written, one `JSONKeyTable`
/// per type: a key is escaped once per process instead of once per member written.
///
/// Only key types whose value is one plain byte at most are cached (`CodingKeys` enums,
/// synthesized or written by hand, without payloads that hold references): their bit pattern
/// names the key, and its `stringValue` is taken to be the same for the same pattern every
/// time (as `CodingKey` requires). Keys holding a string (`JSONStringKey`, dynamic keys of a
/// dictionary) are written directly.
///
/// Thread-safe: the tables are immutable and never freed (see `JSONKeyTable`); the map from
/// type to table is behind a `Mutex`, read once per container (each writer remembers the
/// last table it used). The one process-wide cache of the module, as a cache of constants.
final class JSONKeyCache: Sendable {
    /// The process's cache.
    static let shared = JSONKeyCache()

    private let tables = Mutex<[ObjectIdentifier: JSONKeyTable]>([:])

    /// Whether keys of type `Key` can be cached.
    @inline(__always) static func caches<Key: CodingKey>(_ type: Key.Type) -> Bool {
        _isPOD(Key.self) && MemoryLayout<Key>.size <= 1
    }

    /// The bit pattern of a key of a cached type.
    @inline(__always) static func pattern<Key: CodingKey>(of key: Key) -> Int {
        MemoryLayout<Key>.size == 0 ? 0 : Int(unsafeBitCast(key, to: UInt8.self))
    }

    /// The table of `Key` (empty until its first key is added).
    func table<Key: CodingKey>(for type: Key.Type) -> JSONKeyTable {
        let id = ObjectIdentifier(type)
        return tables.withLock { tables in
            if let table = tables[id] { return table }
            let table = JSONKeyTable()
            tables[id] = table
            return table
        }
    }

    /// The table of `Key` with `key` in it (added, unless another encode already did).
    func adding<Key: CodingKey>(_ key: Key) -> JSONKeyTable {
        let id = ObjectIdentifier(Key.self)
        let pattern = Self.pattern(of: key)
        let text = key.stringValue
        return tables.withLock { tables in
            let current = tables[id] ?? JSONKeyTable()
            if current.entry(pattern) != nil { return current }
            let table = current.adding(text, for: pattern)
            tables[id] = table
            return table
        }
    }
}
