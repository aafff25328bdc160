/// The state of one `JSONWriter.encode` call: the output buffer and the stack of open values.
///
/// The output goes straight into the storage of the `[UInt8]` that `JSONWriter.encode` returns
/// (see `JSONWriter.streamed`); only a document larger than that storage moves to a buffer of
/// the writer's own, copied out once at the end. Open values are kept on a stack of frames in
/// one allocation; values write their bytes with one capacity check each.
final class JSONByteWriter {
    enum Kind: UInt8 { case pending, object, array, done }

    /// One open value: a slot waiting for its value (`pending`), an open object or array, or a
    /// single value already written (`done`). Containers and encoders refer to frames by id.
    struct Frame {
        var id: Int
        var kind: Kind
        var count: Int
        /// The member's key inside an object; nil at the top and for array elements (whose
        /// index is the parent's `count - 1` while they are open: see `path(to:)`).
        var key: (any CodingKey)?
    }

    // The writer is confined to one encode call on one thread; dynamic exclusivity checks on these
    // hot properties cost more than the encoding itself.
    @exclusivity(unchecked) var buf: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) var count = 0
    @exclusivity(unchecked) var cap: Int
    /// Whether `buf` was allocated by the writer (else it is storage lent by the caller).
    @exclusivity(unchecked) var ownsBuffer: Bool
    @exclusivity(unchecked) var frames: UnsafeMutablePointer<Frame>
    @exclusivity(unchecked) var depth = 0
    @exclusivity(unchecked) var frameCapacity = 16
    @exclusivity(unchecked) var nextID = 1
    @exclusivity(unchecked) var invalid = false
    /// Set whenever an error passes through the writer (the output may be partial).
    @exclusivity(unchecked) var threw = false
    /// The key type whose table was used last, and that table's entries (lists repeat one type).
    @exclusivity(unchecked) var lastKeyType: ObjectIdentifier?
    @exclusivity(unchecked) var lastKeyEntries: JSONKeyTable.Entries?

    /// A writer with a buffer of its own.
    init(capacity: Int) {
        cap = max(capacity, 64)
        buf = .allocate(capacity: cap)
        ownsBuffer = true
        frames = .allocate(capacity: frameCapacity)
    }

    /// A writer that writes into `storage` until it is full (the storage stays the caller's).
    init(lending storage: UnsafeMutableBufferPointer<UInt8>) {
        buf = storage.baseAddress!
        cap = storage.count
        ownsBuffer = false
        frames = .allocate(capacity: frameCapacity)
    }

    deinit {
        frames.deinitialize(count: depth)
        frames.deallocate()
        if ownsBuffer { buf.deallocate() }
    }

    /// The bytes written so far, copied.
    var out: [UInt8] { Array(UnsafeBufferPointer(start: buf, count: count)) }

    /// Whether the bytes are still in the lent storage.
    var isInLentStorage: Bool { !ownsBuffer }

    /// Stops writing into lent storage (its owner takes it back): a later write, by a value
    /// that kept an encoder past the end of its encode, starts a buffer of the writer's own.
    func returnLentStorage() {
        guard !ownsBuffer else { return }
        count = 0
        cap = 0
    }

    // MARK: Buffer

    @inline(__always) func reserve(_ n: Int) {
        if _slowPath(count &+ n > cap) { grow(n) }
    }

    @inline(never) func grow(_ n: Int) {
        let newCap = max(cap * 2, count + n, 64)
        let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: newCap)
        nb.update(from: buf, count: count)
        if ownsBuffer { buf.deallocate() }
        buf = nb
        cap = newCap
        ownsBuffer = true
    }

    @inline(__always) func byte(_ b: UInt8) {
        reserve(1)
        buf[count] = b
        count &+= 1
    }

    @inline(__always) func bytes(_ p: UnsafeBufferPointer<UInt8>) {
        guard let base = p.baseAddress, p.count > 0 else { return }
        reserve(p.count)
        (buf + count).update(from: base, count: p.count)
        count &+= p.count
    }

    /// Up to 8 bytes given as a little-endian word: one capacity check, one store.
    @inline(__always) func word(_ w: UInt64, length: Int) {
        reserve(8)
        UnsafeMutableRawPointer(buf + count).storeBytes(of: w.littleEndian, as: UInt64.self)
        count &+= length
    }

    // MARK: Keys

    /// The encoded keys of `Key` (from `JSONKeyCache`), nil when its keys are not cached.
    @inline(__always) func keyTable<Key: CodingKey>(_ type: Key.Type) -> JSONKeyTable.Entries? {
        guard JSONKeyCache.caches(type) else { return nil }
        let id = ObjectIdentifier(type)
        if id == lastKeyType, let entries = lastKeyEntries { return entries }
        let entries = JSONKeyCache.shared.table(for: type).entries
        lastKeyType = id
        lastKeyEntries = entries
        return entries
    }

    /// Adds `key` to its type's table; returns the table's new entries (remembered for `Key`).
    @inline(never) func addKey<Key: CodingKey>(_ key: Key) -> JSONKeyTable.Entries {
        let entries = JSONKeyCache.shared.adding(key).entries
        lastKeyType = ObjectIdentifier(Key.self)
        lastKeyEntries = entries
        return entries
    }

    /// A key from a `JSONKeyTable` (`"key":`), after a comma unless it is the object's first.
    @inline(__always) func writeEncodedKey(_ entry: (start: UnsafePointer<UInt8>, count: Int), separator: Bool) {
        reserve(entry.count &+ 9)
        if separator {
            buf[count] = 0x2C
            count &+= 1
        }
        // Entries are padded to whole words.
        let source = UnsafeRawPointer(entry.start)
        let destination = UnsafeMutableRawPointer(buf + count)
        var k = 0
        while k < entry.count {
            destination.storeBytes(of: source.loadUnaligned(fromByteOffset: k, as: UInt64.self), toByteOffset: k, as: UInt64.self)
            k &+= 8
        }
        count &+= entry.count
    }

    // MARK: Frames

    @inline(__always) func newID() -> Int {
        nextID &+= 1
        return nextID
    }

    /// Opens a frame on top of the stack.
    @inline(__always) func push(id: Int, kind: Kind, key: (any CodingKey)?) {
        if _slowPath(depth == frameCapacity) { growFrames() }
        (frames + depth).initialize(to: Frame(id: id, kind: kind, count: 0, key: key))
        depth &+= 1
    }

    @inline(never) func growFrames() {
        let bigger = UnsafeMutablePointer<Frame>.allocate(capacity: frameCapacity * 2)
        bigger.moveInitialize(from: frames, count: depth)
        frames.deallocate()
        frames = bigger
        frameCapacity *= 2
    }

    func fail() -> JSONWriterFallback {
        invalid = true
        return JSONWriterFallback()
    }

    @inline(__always) func index(of id: Int) -> Int? {
        var i = depth &- 1
        while i >= 0 {
            if frames[i].id == id { return i }
            i &-= 1
        }
        return nil
    }

    func closeTop() {
        depth &-= 1
        let top = frames + depth
        let kind = top.pointee.kind
        top.deinitialize(count: 1)
        switch kind {
        case .pending: byte(0x7B); byte(0x7D)
        case .object: byte(0x7D)
        case .array: byte(0x5D)
        case .done: break
        }
    }

    @inline(__always) func closeAbove(_ i: Int) {
        while depth &- 1 > i { closeTop() }
    }

    /// Closes frames down to and including the one with `id`, if it is still open.
    func close(_ id: Int) {
        guard let i = index(of: id) else { return }
        while depth > i { closeTop() }
    }

    /// The coding path of the frame with `id` (all keys from the root down to it).
    func path(to id: Int) -> [any CodingKey] {
        guard let i = index(of: id) else { return [] }
        var p: [any CodingKey] = []
        for j in 0...i {
            if let key = frames[j].key {
                p.append(key)
            } else if j > 0, frames[j - 1].kind == .array {
                p.append(JSONIndexKey(frames[j - 1].count - 1))
            }
        }
        return p
    }

    /// The key a new frame above the top one records: none for an array element.
    @inline(__always) func childKey(_ key: @autoclosure () -> any CodingKey) -> (any CodingKey)? {
        depth > 0 && frames[depth &- 1].kind == .array ? nil : key()
    }

    /// Opens (or reopens) the slot `id` as an object or array. Returns false if it cannot.
    func open(_ id: Int, as kind: Kind) -> Bool {
        guard let i = index(of: id) else { invalid = true; return false }
        let k = frames[i].kind
        if k == .pending {
            closeAbove(i)
            frames[i].kind = kind
            byte(kind == .object ? 0x7B : 0x5B)
            return true
        }
        if k == kind {
            closeAbove(i)
            return true
        }
        invalid = true
        return false
    }

    /// The index of open container `id` of `kind`, closing anything opened after it.
    @inline(__always) func container(_ id: Int, _ kind: Kind) throws -> Int {
        let n = depth &- 1
        let i: Int
        if n >= 0, frames[n].id == id {
            i = n
        } else {
            guard let j = index(of: id) else { throw fail() }
            closeAbove(j)
            i = j
        }
        guard frames[i].kind == kind else { throw fail() }
        return i
    }

    /// Prepares to write the next member of object `id`: closes anything opened after it, writes
    /// the separator and the key (uncached: `JSONWriterKeyed` writes its own keys from their table).
    @inline(__always) func beginMember<K: CodingKey>(_ id: Int, _ key: K) throws {
        let i = try container(id, .object)
        let first = frames[i].count == 0
        frames[i].count &+= 1
        writeKey(key.stringValue, separator: !first)
    }

    /// Prepares to write the next element of array `id`; returns its index.
    @inline(__always) func beginElement(_ id: Int) throws -> Int {
        let i = try container(id, .array)
        let c = frames[i].count
        if c > 0 { byte(0x2C) }
        frames[i].count = c &+ 1
        return c
    }

    /// Prepares slot `id` for a single value; returns its frame index.
    func beginSingle(_ id: Int) throws -> Int {
        guard let i = index(of: id), frames[i].kind == .pending else { throw fail() }
        closeAbove(i)
        return i
    }
}
