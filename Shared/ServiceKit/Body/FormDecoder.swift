import Foundation

/// The `Decoder` behind `FormCoding.decode`: a form is an object of string lists; a scalar
/// field takes its first value, converted to the field's type; a list field takes them all.
struct FormDecoderImpl: Decoder {
    let values: [String: [String]]
    var codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(FormKeyed<Key>(values: values, codingPath: codingPath))
    }
    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "a form is not a list"))
    }
    func singleValueContainer() throws -> SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "a form is an object"))
    }
}

private struct FormKeyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let values: [String: [String]]
    var codingPath: [CodingKey]
    var allKeys: [Key] { values.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { values[key.stringValue] != nil }
    func decodeNil(forKey key: Key) throws -> Bool { values[key.stringValue] == nil }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let vs = values[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return try T(from: FormValueDecoder(values: vs, codingPath: codingPath + [key]))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: codingPath + [key], debugDescription: "nested objects are not supported in forms"))
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        FormUnkeyed(values: values[key.stringValue] ?? [], codingPath: codingPath + [key])
    }
    func superDecoder() throws -> Decoder { FormDecoderImpl(values: values, codingPath: codingPath) }
    func superDecoder(forKey key: Key) throws -> Decoder { FormDecoderImpl(values: values, codingPath: codingPath + [key]) }
}

private struct FormValueDecoder: Decoder, SingleValueDecodingContainer {
    let values: [String]
    var codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var value: String { values.first ?? "" }

    func container<K: CodingKey>(keyedBy type: K.Type) throws -> KeyedDecodingContainer<K> {
        throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: codingPath, debugDescription: "expected a value"))
    }
    func unkeyedContainer() throws -> UnkeyedDecodingContainer { FormUnkeyed(values: values, codingPath: codingPath) }
    func singleValueContainer() throws -> SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { values.isEmpty }
    func decode(_ type: Bool.Type) throws -> Bool {
        switch value.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw mismatch("expected a boolean")
        }
    }
    func decode(_ type: String.Type) throws -> String { value }
    func decode(_ type: Double.Type) throws -> Double {
        guard let d = Double(value), d.isFinite else { throw mismatch("expected a number") }
        return d
    }
    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func decode(_ type: Int.Type) throws -> Int { try int(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try int(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try int(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try int(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try int(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try int(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try int(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try int(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try int(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try int(UInt64.self) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }

    private func int<T: FixedWidthInteger>(_ t: T.Type) throws -> T {
        guard let v = T(value) else { throw mismatch("expected an integer") }
        return v
    }
    private func mismatch(_ msg: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: codingPath, debugDescription: msg))
    }
}

private struct FormUnkeyed: UnkeyedDecodingContainer {
    let values: [String]
    var codingPath: [CodingKey]
    var currentIndex = 0
    var count: Int? { values.count }
    var isAtEnd: Bool { currentIndex >= values.count }

    init(values: [String], codingPath: [CodingKey]) {
        self.values = values
        self.codingPath = codingPath
    }

    mutating func decodeNil() throws -> Bool { false }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let v = try T(from: FormValueDecoder(values: [values[currentIndex]], codingPath: codingPath))
        currentIndex += 1
        return v
    }
    mutating func nestedContainer<K: CodingKey>(keyedBy type: K.Type) throws -> KeyedDecodingContainer<K> {
        throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: codingPath, debugDescription: "unsupported"))
    }
    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "unsupported"))
    }
    mutating func superDecoder() throws -> Decoder { FormValueDecoder(values: values, codingPath: codingPath) }
}
