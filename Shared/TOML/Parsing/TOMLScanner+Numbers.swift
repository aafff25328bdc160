/// Integers (decimal, `0x`, `0o`, `0b`, underscores between digits) and floats
/// (fraction and/or exponent, `inf`, `nan`).
extension TOMLScanner {
    /// Reads the number at the cursor.
    mutating func parseNumber() throws(TOMLError) -> TOMLValue {
        let start = position
        while let byte = peek(), byte.isBareKey || byte == .dot || byte == .plus { position += 1 }
        let token = Array(bytes[start..<position])
        let text = String(decoding: token, as: UTF8.self)
        func fail(_ reason: String) -> TOMLError { error("invalid number '\(text)': \(reason)", at: start) }

        switch text {
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan": return .float(.nan)
        case "-nan": return .float(-.nan)
        default: break
        }
        var index = 0
        let negative = token.first == .minus
        if token.first == .plus || negative { index = 1 }

        if token.count >= index + 2, token[index] == UInt8(ascii: "0"),
           let radix = Self.radix(of: token[index + 1]) {
            if index > 0 { throw fail("a hexadecimal, octal or binary integer has no sign") }
            let digitsStart = index + 2
            index = digitsStart
            guard Self.skipDigits(token, &index, radix: radix), index == token.count else {
                throw fail("expected base-\(radix) digits, with underscores only between digits")
            }
            var value: UInt64 = 0
            for byte in token[digitsStart...] where byte != .underscore {
                let (times, overflowA) = value.multipliedReportingOverflow(by: UInt64(radix))
                let (sum, overflowB) = times.addingReportingOverflow(UInt64(Self.hexValue(byte)!))
                guard !overflowA, !overflowB, sum <= UInt64(Int64.max) else { throw fail("out of the 64-bit integer range") }
                value = sum
            }
            return .integer(Int64(value))
        }

        let integerStart = index
        guard Self.skipDigits(token, &index, radix: 10) else {
            throw fail("expected digits, with underscores only between digits")
        }
        if token[integerStart] == UInt8(ascii: "0"), index - integerStart > 1 {
            throw fail("leading zeros are not allowed")
        }
        var isFloat = false
        if index < token.count, token[index] == .dot {
            index += 1
            isFloat = true
            guard Self.skipDigits(token, &index, radix: 10) else { throw fail("expected digits after the decimal point") }
        }
        if index < token.count, token[index] == UInt8(ascii: "e") || token[index] == UInt8(ascii: "E") {
            index += 1
            isFloat = true
            if index < token.count, token[index] == .plus || token[index] == .minus { index += 1 }
            guard Self.skipDigits(token, &index, radix: 10) else { throw fail("expected digits in the exponent") }
        }
        guard index == token.count else { throw fail("unexpected '\(Character(Unicode.Scalar(token[index])))'") }

        let digits = String(decoding: token.lazy.filter { $0 != .underscore }, as: UTF8.self)
        if isFloat {
            guard let value = Double(digits) else { throw fail("not a float") }
            return .float(value)
        }
        var magnitude: UInt64 = 0
        for byte in token[integerStart...] where byte != .underscore {
            let (times, overflowA) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflowA, !overflowB, sum <= UInt64(Int64.max) + (negative ? 1 : 0) else {
                throw fail("out of the 64-bit integer range")
            }
            magnitude = sum
        }
        return .integer(negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude))
    }

    /// The radix a prefix letter names (`x` 16, `o` 8, `b` 2).
    private static func radix(of byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "x"): return 16
        case UInt8(ascii: "o"): return 8
        case UInt8(ascii: "b"): return 2
        default: return nil
        }
    }

    /// Skips `digit (_? digit)*` in `radix` from `index`; false when there is no digit
    /// first or an underscore is not followed by a digit.
    private static func skipDigits(_ token: [UInt8], _ index: inout Int, radix: Int) -> Bool {
        func isDigit(_ position: Int) -> Bool {
            guard position < token.count, let value = hexValue(token[position]) else { return false }
            return Int(value) < radix
        }
        guard isDigit(index) else { return false }
        index += 1
        while index < token.count {
            if isDigit(index) {
                index += 1
            } else if token[index] == .underscore {
                guard isDigit(index + 1) else { return false }
                index += 2
            } else {
                break
            }
        }
        return true
    }
}
