/// A single value being written by `JSONWriter`.
struct JSONWriterSingle: SingleValueEncodingContainer {
    let w: JSONByteWriter
    let id: Int

    var codingPath: [any CodingKey] { w.path(to: id) }

    private func begin() throws {
        let i = try w.beginSingle(id)
        w.frames[i].kind = .done
    }

    mutating func encodeNil() throws { try begin(); w.writeNull() }
    mutating func encode(_ value: Bool) throws { try begin(); w.writeBool(value) }
    mutating func encode(_ value: String) throws { try begin(); w.writeString(value) }
    mutating func encode(_ value: Double) throws {
        guard value.isFinite else { throw w.nonConforming(value, codingPath) }
        try begin(); _ = w.writeDouble(value)
    }
    mutating func encode(_ value: Float) throws {
        guard value.isFinite else { throw w.nonConforming(value, codingPath) }
        try begin(); _ = w.writeFloat(value)
    }
    mutating func encode(_ value: Int) throws { try begin(); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int8) throws { try begin(); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int16) throws { try begin(); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int32) throws { try begin(); w.writeInt(Int64(value)) }
    mutating func encode(_ value: Int64) throws { try begin(); w.writeInt(value) }
    mutating func encode(_ value: UInt) throws { try begin(); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { try begin(); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { try begin(); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { try begin(); w.writeUInt(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { try begin(); w.writeUInt(value) }
    mutating func encode(_ value: Int128) throws { try begin(); w.writeASCII(value.description) }
    mutating func encode(_ value: UInt128) throws { try begin(); w.writeASCII(value.description) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try w.encodeInSlot(value, id)
    }
}
