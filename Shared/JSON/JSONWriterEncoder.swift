/// The `Encoder` `JSONWriter` hands to a value: one slot (frame) of the byte writer.
struct JSONWriterEncoder: Encoder {
    let w: JSONByteWriter
    let id: Int

    var codingPath: [any CodingKey] { w.path(to: id) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let ok = w.open(id, as: .object)
        return KeyedEncodingContainer(JSONWriterKeyed<Key>(w: w, id: ok ? id : -1))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let ok = w.open(id, as: .array)
        return JSONWriterUnkeyed(w: w, id: ok ? id : -1)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONWriterSingle(w: w, id: id)
    }
}
