/// An object being decoded by `StrictJSONDecoder`. Small objects are searched in order;
/// larger ones (dictionaries) get a key index so decoding every key stays linear.
struct JSONKeyedDecoding<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: JSONObject
    let path: JSONCodingPath
    private let index: [String: Int]?

    init(object: JSONObject, path: JSONCodingPath) {
        self.object = object
        self.path = path
        if object.count > 12 {
            var ix: [String: Int] = [:]
            ix.reserveCapacity(object.count)
            for (i, m) in object.members.enumerated() { ix[m.key] = i }
            index = ix
        } else {
            index = nil
        }
    }

    var codingPath: [any CodingKey] { path.keys }
    var allKeys: [Key] { object.members.compactMap { Key(stringValue: $0.key) } }

    @inline(__always) private func find(_ key: Key) -> JSONValue? {
        let k = key.stringValue
        if let index { return index[k].map { object.members[$0].value } }
        for m in object.members where m.key == k { return m.value }
        return nil
    }

    @inline(__always) private func value(_ key: Key) throws -> JSONValue {
        guard let v = find(key) else {
            throw DecodingError.keyNotFound(key, DecodingError.Context(
                codingPath: path.keys, debugDescription: "No value associated with key \(key.stringValue)."))
        }
        return v
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }
    func decodeNil(forKey key: Key) throws -> Bool { try value(key).isNull }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try JSONUnboxing.bool(value(key), path, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try JSONUnboxing.string(value(key), path, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try JSONUnboxing.double(value(key), path, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try JSONUnboxing.float(value(key), path, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try JSONUnboxing.integer(value(key), type, path, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try JSONUnboxing.integer(value(key), type, path, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try JSONUnboxing.integer(value(key), type, path, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try JSONUnboxing.integer(value(key), type, path, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try JSONUnboxing.integer(value(key), type, path, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try JSONUnboxing.integer(value(key), type, path, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try JSONUnboxing.integer(value(key), type, path, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try JSONUnboxing.integer(value(key), type, path, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try JSONUnboxing.integer(value(key), type, path, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try JSONUnboxing.integer(value(key), type, path, key) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try JSONUnboxing.decode(type, value(key), path, key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try JSONValueDecoding(value: value(key), path: path.appending(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try JSONValueDecoding(value: value(key), path: path.appending(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = JSONSuperKey()
        let v = object["super"] ?? .null
        return JSONValueDecoding(value: v, path: path.appending(key))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONValueDecoding(value: find(key) ?? .null, path: path.appending(key))
    }
}
