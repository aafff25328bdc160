import JSON

/// A response the scenario may look into: its status and whole body.
public struct Reply: Sendable {
    /// The HTTP status.
    public var status: Int
    /// The body.
    public var body: [UInt8]

    /// The body decoded as `type`; nil when it is not one.
    public func decoded<Value: Decodable>(_ type: Value.Type) -> Value? {
        try? StrictJSONDecoder().decode(type, from: body)
    }

    /// The body as text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}
