// Byte classes of Python source shared by the tokenizer, the symbol scanner and the
// completion context (UTF-8: every byte from 0x80 up counts as a name character).

/// Whether `byte` can start a name: an ASCII letter, `_`, or part of a non-ASCII character.
@inline(__always) func isIdentStart(_ byte: UInt8) -> Bool {
    (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || byte == 95 || byte >= 0x80
}

/// Whether `byte` can continue a name: a name start or an ASCII digit.
@inline(__always) func isIdentChar(_ byte: UInt8) -> Bool {
    isIdentStart(byte) || (byte >= 48 && byte <= 57)
}

/// Whether `byte` is an ASCII digit.
@inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
