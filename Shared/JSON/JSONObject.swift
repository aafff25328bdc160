/// The members of a JSON object in document order.
///
/// Lookup by key is a linear scan (request objects are small); a parsed object has unique
/// keys (see `JSONParserOptions.duplicateKeys`). Two objects are equal when they hold the
/// same members, whatever their order (JSON's meaning of an object).
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One member.
    public struct Member: Sendable, Equatable {
        /// The key.
        public var key: String
        /// The value.
        public var value: JSONValue
        /// A member.
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The members, in order.
    public private(set) var members: [Member]

    /// An object of members (keys are expected to be unique).
    public init(_ members: [Member] = []) { self.members = members }

    /// An object from key-value pairs, in the literal's order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = elements.map { Member(key: $0.0, value: $0.1) }
    }

    /// The number of members.
    public var count: Int { members.count }
    /// True when there are no members.
    public var isEmpty: Bool { members.isEmpty }
    /// The keys, in order.
    public var keys: [String] { members.map(\.key) }
    /// The values, in order.
    public var values: [JSONValue] { members.map(\.value) }

    /// The value for `key`; setting replaces it in place or appends a new member (nil removes it).
    public subscript(key: String) -> JSONValue? {
        get {
            for m in members where m.key == key { return m.value }
            return nil
        }
        set {
            let i = members.firstIndex { $0.key == key }
            switch (i, newValue) {
            case (let i?, let v?): members[i].value = v
            case (let i?, nil): members.remove(at: i)
            case (nil, let v?): members.append(Member(key: key, value: v))
            case (nil, nil): break
            }
        }
    }

    /// Appends a member without checking for an existing key (the parser checks).
    mutating func appendUnchecked(_ key: String, _ value: JSONValue) {
        members.append(Member(key: key, value: value))
    }

    /// Replaces the value of the member at `index`.
    mutating func replaceValue(at index: Int, with value: JSONValue) {
        members[index].value = value
    }

    /// The members as `(key, value)` pairs, in order.
    public func makeIterator() -> some IteratorProtocol<(key: String, value: JSONValue)> {
        members.lazy.map { (key: $0.key, value: $0.value) }.makeIterator()
    }

    /// The same members sorted by key (String order), for output that must not depend on input order.
    public func sortedByKey() -> JSONObject {
        JSONObject(members.sorted { $0.key < $1.key })
    }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.members.count == b.members.count else { return false }
        if a.members == b.members { return true }
        for m in a.members {
            guard let v = b[m.key], v == m.value else { return false }
        }
        return true
    }
}
