import Crypto

/// The one JSON string escaper: every writer of JSON text in the project (the `Encodable`
/// writer, `JSONBuilder`, the logger, error envelopes) escapes strings through it.
///
/// Output is Foundation's `JSONEncoder` with `.withoutEscapingSlashes`: `"` and `\` are
/// backslash-escaped; `\n \r \t \b \f` use their short forms; other bytes below 0x20 become
/// `\u00XX` (lowercase hex); everything else, `/`, DEL and all non-ASCII included, is
/// copied as is (the input is a Swift string, so it is valid UTF-8).
public enum JSONEscaper {
    /// True if any of the 8 bytes is a control character, `"` or `\` (exact, SWAR).
    @inlinable @inline(__always)
    static func needsEscape(_ x: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let control = (x &- ones &* 0x20) & ~x & highs
        let q = x ^ (ones &* 0x22), quote = (q &- ones) & ~q & highs
        let s = x ^ (ones &* 0x5C), slash = (s &- ones) & ~s & highs
        return (control | quote | slash) != 0
    }

    /// Copies the longest leading run of `input` that needs no escaping to `destination`, 8 bytes
    /// at a time, and returns its length: `input.count` when nothing needs escaping, else an
    /// offset at or before the first byte that does (escape the rest with `escape`).
    /// `destination` must have room for `input.count + 8` bytes: whole words are stored, so
    /// up to 8 bytes past the run may be overwritten with garbage.
    @inlinable @inline(__always)
    public static func copyUnescapedPrefix(_ input: UnsafeBufferPointer<UInt8>, to destination: UnsafeMutableRawPointer) -> Int {
        let n = input.count
        guard let base = input.baseAddress, n > 0 else { return 0 }
        if n < 8 {
            // Bytes past the end are padded with spaces (which need no escaping).
            var word: UInt64 = 0x2020_2020_2020_2020 &<< UInt64(n &* 8)
            var k = 0
            while k < n {
                word |= UInt64(base[k]) &<< UInt64(k &* 8)
                k &+= 1
            }
            if needsEscape(word) { return 0 }
            destination.storeBytes(of: word.littleEndian, as: UInt64.self)
            return n
        }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i &+ 8 <= n {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if needsEscape(word) { return i }
            destination.storeBytes(of: word, toByteOffset: i, as: UInt64.self)
            i &+= 8
        }
        if i < n {
            // The last 8 bytes, overlapping the run already copied.
            let word = raw.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
            if needsEscape(word) { return i }
            destination.storeBytes(of: word, toByteOffset: n &- 8, as: UInt64.self)
        }
        return n
    }

    /// Escapes UTF-8 `input` (without quotes), handing `emit` the output in consecutive
    /// pieces: runs copied from the input and escape sequences.
    @inlinable @inline(__always)
    public static func escape(_ input: UnsafeBufferPointer<UInt8>, _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        let n = input.count
        guard let base = input.baseAddress, n > 0 else { return }
        var start = 0
        var i = 0
        let raw = UnsafeRawPointer(base)
        while i &+ 8 <= n, !needsEscape(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i &+= 8 }
        while i < n {
            let c = base[i]
            if c < 0x20 || c == 0x22 || c == 0x5C {
                if start < i { emit(UnsafeBufferPointer(start: base + start, count: i &- start)) }
                emitSequence(for: c, emit)
                start = i &+ 1
            }
            i &+= 1
        }
        if start < n { emit(UnsafeBufferPointer(start: base + start, count: n &- start)) }
    }

    /// The escape sequence of one byte that needs escaping.
    @inlinable
    static func emitSequence(for c: UInt8, _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        var seq: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0x5C, 0, 0x30, 0x30, 0, 0)
        var length = 2
        switch c {
        case 0x22: seq.1 = 0x22
        case 0x5C: seq.1 = 0x5C
        case 0x0A: seq.1 = 0x6E
        case 0x0D: seq.1 = 0x72
        case 0x09: seq.1 = 0x74
        case 0x08: seq.1 = 0x62
        case 0x0C: seq.1 = 0x66
        default:
            seq.1 = 0x75
            seq.4 = Hex.digit(c >> 4)
            seq.5 = Hex.digit(c & 0xF)
            length = 6
        }
        withUnsafeBytes(of: &seq) { p in
            emit(UnsafeBufferPointer(start: p.baseAddress!.assumingMemoryBound(to: UInt8.self), count: length))
        }
    }

    /// Appends `s` as a quoted, escaped JSON string.
    @inlinable
    public static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        var s = s
        out.append(0x22)
        s.withUTF8 { utf8 in escape(utf8) { out.append(contentsOf: $0) } }
        out.append(0x22)
    }

    /// `s` as a quoted, escaped JSON string.
    public static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 2)
        appendQuoted(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
