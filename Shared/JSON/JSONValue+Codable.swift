extension JSONValue: Codable {
    /// Decodes any JSON value: directly from `StrictJSONDecoder` (members in order), else
    /// through the decoder's containers (object member order as that decoder gives it).
    public init(from decoder: any Decoder) throws {
        if let d = decoder as? JSONValueDecoding { self = d.value; return }
        if var a = try? decoder.unkeyedContainer() {
            var out: [JSONValue] = []
            while !a.isAtEnd { out.append(try a.decode(JSONValue.self)) }
            self = .array(out)
            return
        }
        if let o = try? decoder.container(keyedBy: JSONStringKey.self) {
            var obj = JSONObject()
            for k in o.allKeys { obj.appendUnchecked(k.stringValue, try o.decode(JSONValue.self, forKey: k)) }
            self = .object(obj)
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int64.self) { self = .int(i); return }
        if let d = try? c.decode(Double.self) { self = .double(d); return }
        self = .string(try c.decode(String.self))
    }

    /// Encodes the value, object members in order. Through `JSONWriter` or Foundation a
    /// `.double` with no fraction is written without one (`1`); `serialized` keeps `1.0`.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .int(let i):
            var c = encoder.singleValueContainer()
            try c.encode(i)
        case .double(let d):
            var c = encoder.singleValueContainer()
            try c.encode(d)
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .array(let a):
            var c = encoder.unkeyedContainer()
            for e in a { try c.encode(e) }
        case .object(let o):
            var c = encoder.container(keyedBy: JSONStringKey.self)
            for m in o.members { try c.encode(m.value, forKey: JSONStringKey(m.key)) }
        }
    }
}
