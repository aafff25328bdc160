/// The `Decoder` `StrictJSONDecoder` hands to a type: one parsed value and its coding path.
struct JSONValueDecoding: Decoder {
    let value: JSONValue
    let path: JSONCodingPath

    var codingPath: [any CodingKey] { path.keys }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let o) = value else { throw JSONUnboxing.mismatch([String: Any].self, value, path, nil) }
        return KeyedDecodingContainer(JSONKeyedDecoding<Key>(object: o, path: path))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let a) = value else { throw JSONUnboxing.mismatch([Any].self, value, path, nil) }
        return JSONUnkeyedDecoding(elements: a, path: path)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        JSONSingleValueDecoding(value: value, path: path)
    }
}
