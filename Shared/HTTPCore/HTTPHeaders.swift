/// An ordered list of header fields; names compare case-insensitively (ASCII).
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    /// The fields in order, names as received or set.
    public private(set) var fields: [(name: String, value: String)]

    /// An empty list.
    public init() { fields = [] }

    /// A list from pairs.
    public init(_ pairs: [(String, String)]) { fields = pairs.map { (name: $0.0, value: $0.1) } }

    /// A list from fields, taken as they are (no copy).
    public init(fields: [(name: String, value: String)]) { self.fields = fields }

    /// Reserves room for `n` fields.
    public mutating func reserveCapacity(_ n: Int) { fields.reserveCapacity(n) }

    public init(dictionaryLiteral elements: (String, String)...) { self.init(elements) }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    /// The number of fields.
    public var count: Int { fields.count }

    /// The position of the first field named `name` (case-insensitive) at or after
    /// `from`. Fields are compared in place, without copying (and retaining) each one.
    @inline(__always)
    public func index(of name: String, from: Int = 0) -> Int? {
        let n = name.utf8.count
        return fields.withUnsafeBufferPointer { p -> Int? in
            var i = from
            while i < p.count {
                if p[i].name.utf8.count == n && HTTPHeaders.equalsIgnoringCase(p[i].name, name) { return i }
                i += 1
            }
            return nil
        }
    }

    /// The first value of `name`, if any.
    public subscript(_ name: String) -> String? {
        guard let i = index(of: name) else { return nil }
        return fields[i].value
    }

    /// All values of `name`, in order.
    public func values(_ name: String) -> [String] {
        var out: [String] = []
        var from = 0
        while let i = index(of: name, from: from) { out.append(fields[i].value); from = i + 1 }
        return out
    }

    /// Whether `name` is present.
    public func contains(_ name: String) -> Bool { index(of: name) != nil }

    /// Appends a field (keeps existing ones of the same name).
    public mutating func add(_ name: String, _ value: String) { fields.append((name, value)) }

    /// Replaces every field of `name` with one field (or none when `value` is nil).
    public mutating func set(_ name: String, _ value: String?) {
        remove(name)
        if let value { fields.append((name, value)) }
    }

    /// Removes every field of `name`.
    public mutating func remove(_ name: String) {
        // Most removals find nothing: scan before touching (and uniquing) the storage.
        guard index(of: name) != nil else { return }
        fields.removeAll { HTTPHeaders.equalsIgnoringCase($0.name, name) }
    }

    /// Removes the fields for which `shouldRemove` is true.
    public mutating func removeAll(where shouldRemove: (String, String) -> Bool) {
        fields.removeAll { shouldRemove($0.name, $0.value) }
    }

    /// Whether a comma-separated header (e.g. `Connection`) lists `token` (case-insensitive).
    public func hasToken(_ name: String, _ token: String) -> Bool {
        var from = 0
        while let i = index(of: name, from: from) {
            from = i + 1
            let v = fields[i].value
            for part in v.split(separator: ",") {
                if HTTPHeaders.equalsIgnoringCase(part.trimmingSpaces, token) { return true }
            }
        }
        return false
    }

    /// ASCII case-insensitive equality of two buffers of the same length.
    @usableFromInline
    static func bytesEqualIgnoringCase(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = a.count
        while i < n {
            let x = a[i], y = b[i]
            if x != y {
                let lx = x | 0x20
                if lx != y | 0x20 || lx < 0x61 || lx > 0x7a { return false }
            }
            i += 1
        }
        return true
    }

    /// ASCII case-insensitive equality.
    @inlinable
    public static func equalsIgnoringCase<A: StringProtocol, B: StringProtocol>(_ a: A, _ b: B) -> Bool {
        let ua = a.utf8, ub = b.utf8
        guard ua.count == ub.count else { return false }
        if let r = ua.withContiguousStorageIfAvailable({ pa in
            ub.withContiguousStorageIfAvailable { pb in bytesEqualIgnoringCase(pa, pb) }
        }), let r {
            return r
        }
        for (x, y) in zip(ua, ub) where x != y {
            let lx = x | 0x20, ly = y | 0x20
            if lx != ly || lx < 0x61 || lx > 0x7a { return false }
        }
        return true
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    public var trimmingSpaces: Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs; the same string (no copy)
    /// when there are none.
    public var trimmedOfSpaces: String {
        let u = utf8
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        if let f = u.first, let l = u.last, !isSpace(f) && !isSpace(l) { return self }
        return String(trimmingSpaces)
    }
}
