/// An array being decoded by `StrictJSONDecoder`; the index moves only past elements decoded.
struct JSONUnkeyedDecoding: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let path: JSONCodingPath
    private(set) var currentIndex = 0

    init(elements: [JSONValue], path: JSONCodingPath) {
        self.elements = elements
        self.path = path
    }

    var codingPath: [any CodingKey] { path.keys }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private var key: JSONIndexKey { JSONIndexKey(currentIndex) }

    @inline(__always) private func next(_ type: Any.Type) throws -> JSONValue {
        guard currentIndex < elements.count else {
            throw DecodingError.valueNotFound(type, JSONUnboxing.context(path, key, "Unkeyed container is at end."))
        }
        return elements[currentIndex]
    }

    @inline(__always) private mutating func take<T>(_ type: T.Type, _ unbox: (JSONValue, JSONCodingPath, JSONIndexKey) throws -> T) throws -> T {
        let v = try unbox(next(type), path, key)
        currentIndex += 1
        return v
    }

    mutating func decodeNil() throws -> Bool {
        guard try next(Any?.self).isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try take(type) { try JSONUnboxing.bool($0, $1, $2) } }
    mutating func decode(_ type: String.Type) throws -> String { try take(type) { try JSONUnboxing.string($0, $1, $2) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try take(type) { try JSONUnboxing.double($0, $1, $2) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try take(type) { try JSONUnboxing.float($0, $1, $2) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try take(type) { try JSONUnboxing.integer($0, type, $1, $2) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try take(type) { try JSONUnboxing.integer($0, type, $1, $2) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try take(type) { try JSONUnboxing.integer($0, type, $1, $2) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try take(type) { try JSONUnboxing.integer($0, type, $1, $2) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try take(type) { try JSONUnboxing.integer($0, type, $1, $2) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try take(type) { try JSONUnboxing.integer($0, type, $1, $2) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try take(type) { try JSONUnboxing.integer($0, type, $1, $2) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try take(type) { try JSONUnboxing.integer($0, type, $1, $2) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try take(type) { try JSONUnboxing.integer($0, type, $1, $2) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try take(type) { try JSONUnboxing.integer($0, type, $1, $2) } }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try take(type) { try JSONUnboxing.decode(type, $0, $1, $2) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try take(KeyedDecodingContainer<NestedKey>.self) { v, p, k in
            try JSONValueDecoding(value: v, path: p.appending(k)).container(keyedBy: type)
        }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try take((any UnkeyedDecodingContainer).self) { v, p, k in
            try JSONValueDecoding(value: v, path: p.appending(k)).unkeyedContainer()
        }
    }

    mutating func superDecoder() throws -> any Decoder {
        try take((any Decoder).self) { v, p, k in JSONValueDecoding(value: v, path: p.appending(k)) }
    }
}
