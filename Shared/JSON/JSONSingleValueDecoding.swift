/// A single value being decoded by `StrictJSONDecoder`.
struct JSONSingleValueDecoding: SingleValueDecodingContainer {
    let value: JSONValue
    let path: JSONCodingPath

    var codingPath: [any CodingKey] { path.keys }

    func decodeNil() -> Bool { value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try JSONUnboxing.bool(value, path, nil) }
    func decode(_ type: String.Type) throws -> String { try JSONUnboxing.string(value, path, nil) }
    func decode(_ type: Double.Type) throws -> Double { try JSONUnboxing.double(value, path, nil) }
    func decode(_ type: Float.Type) throws -> Float { try JSONUnboxing.float(value, path, nil) }
    func decode(_ type: Int.Type) throws -> Int { try JSONUnboxing.integer(value, type, path, nil) }
    func decode(_ type: Int8.Type) throws -> Int8 { try JSONUnboxing.integer(value, type, path, nil) }
    func decode(_ type: Int16.Type) throws -> Int16 { try JSONUnboxing.integer(value, type, path, nil) }
    func decode(_ type: Int32.Type) throws -> Int32 { try JSONUnboxing.integer(value, type, path, nil) }
    func decode(_ type: Int64.Type) throws -> Int64 { try JSONUnboxing.integer(value, type, path, nil) }
    func decode(_ type: UInt.Type) throws -> UInt { try JSONUnboxing.integer(value, type, path, nil) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try JSONUnboxing.integer(value, type, path, nil) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try JSONUnboxing.integer(value, type, path, nil) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try JSONUnboxing.integer(value, type, path, nil) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try JSONUnboxing.integer(value, type, path, nil) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONUnboxing.decode(type, value, path, nil) }
}
