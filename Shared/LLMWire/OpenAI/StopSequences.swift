/// `stop`: up to four sequences where generation stops; the API takes one string or a list.
/// Decodes either; encodes a list.
public struct StopSequences: Codable, Sendable, Equatable, ExpressibleByArrayLiteral {
    /// The sequences.
    public var sequences: [String]

    /// These sequences.
    public init(_ sequences: [String]) { self.sequences = sequences }

    /// A literal list of sequences.
    public init(arrayLiteral elements: String...) { sequences = elements }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) {
            sequences = [one]
        } else {
            sequences = try container.decode([String].self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(sequences)
    }
}
