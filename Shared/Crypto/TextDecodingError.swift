/// Why text could not be decoded as hex or base64.
public enum TextDecodingError: Error, Equatable, Sendable {
    /// A byte that the encoding never produces there (outside the alphabet, or padding
    /// where none may stand), at this offset in the text's UTF-8.
    case invalidCharacter(offset: Int)
    /// A length that no encoded input has (an odd number of hex digits; base64 that is one
    /// character past a group, or padded base64 that is not whole groups of four).
    case invalidLength(Int)
    /// The last character carries bits beyond the last byte that are not zero: another
    /// text is the encoding of these bytes, and only that one is accepted.
    case nonCanonical
}
