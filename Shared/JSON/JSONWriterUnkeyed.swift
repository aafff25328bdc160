/// An array being written by `JSONWriter`.
struct JSONWriterUnkeyed: UnkeyedEncodingContainer {
    let w: JSONByteWriter
    let id: Int

    var codingPath: [any CodingKey] { w.path(to: id) }
    var count: Int { w.index(of: id).map { w.frames[$0].count } ?? 0 }

    mutating func encodeNil() throws { _ = try w.beginElement(id); w.writeNull() }
    mutating func encode(_ value: Bool) throws { _ = try w.beginElement(id); w.writeBool(value) }
    mutating func encode(_ value: String) throws { _ = try w.beginElement(id); w.writeString(value) }
    mutating func encode(_ value: Double) throws {
        guard value.isFinite else { throw w.nonConforming(value, codingPath + [JSONIndexKey(count)]) }
        _ = try w.beginElement(id); _ = w.writeDouble(value)
    }
    mutating func encode(_ value: Float) throws {
        guard value.isFinite else { throw w.nonConforming(value, codingPath + [JSONIndexKey(count)]) }
        _ = try w.beginElement(id); _ = w.writeFloat(value)
    }
    mutating func encode(_ value: Int) throws { _ = try w.beginElement(id); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int8) throws { _ = try w.beginElement(id); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int16) throws { _ = try w.beginElement(id); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int32) throws { _ = try w.beginElement(id); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int64) throws { _ = try w.beginElement(id); w.writeInt(value) }
    mutating func encode(_ value: UInt) throws { _ = try w.beginElement(id); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { _ = try w.beginElement(id); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { _ = try w.beginElement(id); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { _ = try w.beginElement(id); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { _ = try w.beginElement(id); w.writeUInt(value) }
    mutating func encode(_ value: Int128) throws { _ = try w.beginElement(id); w.writeASCII(value.description) }
    mutating func encode(_ value: UInt128) throws { _ = try w.beginElement(id); w.writeASCII(value.description) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let i = try w.beginElement(id)
        try w.encodeValue(value, key: JSONIndexKey(i))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nid = w.newID()
        do {
            _ = try w.beginElement(id)
            w.push(id: nid, kind: .object, key: nil)
            w.byte(0x7B)
        } catch {}
        return KeyedEncodingContainer(JSONWriterKeyed<NestedKey>(w: w, id: nid))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nid = w.newID()
        do {
            _ = try w.beginElement(id)
            w.push(id: nid, kind: .array, key: nil)
            w.byte(0x5B)
        } catch {}
        return JSONWriterUnkeyed(w: w, id: nid)
    }

    mutating func superEncoder() -> any Encoder {
        let nid = w.newID()
        do {
            _ = try w.beginElement(id)
            w.push(id: nid, kind: .pending, key: nil)
        } catch {}
        return JSONWriterEncoder(w: w, id: nid)
    }
}
