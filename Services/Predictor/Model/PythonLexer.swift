/// The tokenizer's state machine over one buffer of UTF-8 bytes: `run()` appends every
/// token to `out`, ending with `.endMarker`.
struct PythonLexer {
    let buf: UnsafeBufferPointer<UInt8>
    let keepComments: Bool
    var out: [PyToken] = []
    var pos = 0
    var depth = 0
    var indents: [Int] = [0]
    var atLineStart = true
    var lineHasTokens = false

    init(buf: UnsafeBufferPointer<UInt8>, keepComments: Bool) {
        self.buf = buf
        self.keepComments = keepComments
        out.reserveCapacity(buf.count / 4 + 8)
    }

    @inline(__always) func at(_ i: Int) -> UInt8 { i < buf.count && i >= 0 ? buf[i] : 0 }

    mutating func emit(_ kind: PyTokenKind, _ s: Int, _ e: Int) {
        out.append(PyToken(kind: kind, start: s, end: e))
    }

    mutating func run() {
        let n = buf.count
        while pos < n {
            if atLineStart && depth == 0 {
                handleIndentation()
                if pos >= n { break }
            }
            let c = buf[pos]
            switch c {
            case 32, 9, 12:
                pos += 1
            case 10, 13:
                let s = pos
                pos += (c == 13 && at(pos + 1) == 10) ? 2 : 1
                if depth == 0 && lineHasTokens {
                    emit(.newline, s, pos)
                    lineHasTokens = false
                }
                atLineStart = true
            case 92: // backslash
                if at(pos + 1) == 10 { pos += 2 } else if at(pos + 1) == 13 {
                    pos += at(pos + 2) == 10 ? 3 : 2
                } else {
                    emit(.error, pos, pos + 1); pos += 1; lineHasTokens = true
                }
            case 35: // '#'
                let s = pos
                while pos < n && buf[pos] != 10 && buf[pos] != 13 { pos += 1 }
                if keepComments { emit(.comment, s, pos) }
            case 34, 39:
                lexString(prefixStart: pos, isF: false)
            default:
                if isIdentStart(c) {
                    lexName()
                } else if isDigit(c) || (c == 46 && isDigit(at(pos + 1))) {
                    lexNumber()
                } else {
                    lexOperator()
                }
            }
        }
        if lineHasTokens { emit(.newline, n, n) }
        for _ in 1..<max(indents.count, 1) { emit(.dedent, n, n) }
        emit(.endMarker, n, n)
    }

    /// Measures a new physical line's indentation and emits INDENT/DEDENT as needed.
    /// Blank and comment-only lines do not affect indentation.
    mutating func handleIndentation() {
        atLineStart = false
        var col = 0
        var p = pos
        while p < buf.count {
            let c = buf[p]
            if c == 32 { col += 1 } else if c == 9 { col = (col / 8 + 1) * 8 } else if c == 12 { col = 0 } else { break }
            p += 1
        }
        pos = p
        let c = at(p)
        if p >= buf.count || c == 10 || c == 13 || c == 35 || (c == 92 && (at(p + 1) == 10 || at(p + 1) == 13)) {
            return
        }
        let top = indents.last ?? 0
        if col > top {
            indents.append(col)
            emit(.indent, p, p)
        } else if col < top {
            while indents.count > 1, let last = indents.last, col < last {
                indents.removeLast()
                emit(.dedent, p, p)
            }
            if let last = indents.last, col > last { indents.append(col) } // inconsistent dedent: tolerate
        }
    }

    mutating func lexName() {
        let s = pos
        while pos < buf.count && isIdentChar(buf[pos]) { pos += 1 }
        let q = at(pos)
        if (q == 34 || q == 39) && pos - s <= 3 {
            var isPrefix = true
            var isF = false
            for i in s..<pos {
                switch buf[i] | 0x20 {
                case 114, 98, 117: break // r b u
                case 102, 116: isF = true // f t
                default: isPrefix = false
                }
            }
            if isPrefix {
                lexString(prefixStart: s, isF: isF)
                return
            }
        }
        emit(.name, s, pos)
        lineHasTokens = true
    }

    mutating func lexNumber() {
        let s = pos
        let n = buf.count
        if buf[pos] == 48, case let x = at(pos + 1) | 0x20, x == 120 || x == 111 || x == 98 {
            pos += 2
            while pos < n {
                let c = buf[pos]
                if isDigit(c) || c == 95 || ((c | 0x20) >= 97 && (c | 0x20) <= 102) { pos += 1 } else { break }
            }
        } else {
            while pos < n && (isDigit(buf[pos]) || buf[pos] == 95) { pos += 1 }
            if at(pos) == 46 {
                pos += 1
                while pos < n && (isDigit(buf[pos]) || buf[pos] == 95) { pos += 1 }
            }
            if at(pos) | 0x20 == 101 {
                let sign = at(pos + 1)
                if isDigit(sign) { pos += 1 } else if (sign == 43 || sign == 45) && isDigit(at(pos + 2)) { pos += 2 }
                while pos < n && (isDigit(buf[pos]) || buf[pos] == 95) { pos += 1 }
            }
            if at(pos) | 0x20 == 106 { pos += 1 }
        }
        emit(.number, s, pos)
        lineHasTokens = true
    }

    /// Lexes a string whose prefix starts at `prefixStart`; `pos` is at the opening quote.
    mutating func lexString(prefixStart: Int, isF: Bool) {
        let ok = scanString(isF: isF, nesting: 0)
        pos = min(pos, buf.count)
        emit(ok ? .string : .error, prefixStart, pos)
        lineHasTokens = true
    }

    /// Scans a string body from the opening quote at `pos`; returns false if unterminated.
    /// For f-strings, replacement fields are scanned as expressions, so nested strings
    /// (including nested f-strings with the same quote) do not end the outer string.
    mutating func scanString(isF: Bool, nesting: Int) -> Bool {
        let n = buf.count
        let q = buf[pos]
        let triple = at(pos + 1) == q && at(pos + 2) == q
        pos += triple ? 3 : 1
        while pos < n {
            let c = buf[pos]
            if c == 92 { pos += 2; continue }
            if c == q {
                if !triple { pos += 1; return true }
                if at(pos + 1) == q && at(pos + 2) == q { pos += 3; return true }
                pos += 1; continue
            }
            if (c == 10 || c == 13) && !triple { return false }
            if isF && c == 123 { // '{'
                if at(pos + 1) == 123 { pos += 2; continue }
                pos += 1
                if !scanReplacementField(triple: triple, nesting: nesting) { return false }
                continue
            }
            pos += 1
        }
        pos = min(pos, n)
        return false
    }

    /// Scans an f-string replacement field after its `{`, up to and including the matching `}`.
    mutating func scanReplacementField(triple: Bool, nesting: Int) -> Bool {
        let n = buf.count
        var d = 0
        while pos < n {
            let c = buf[pos]
            switch c {
            case 40, 91, 123: d += 1; pos += 1
            case 41, 93: d -= 1; pos += 1
            case 125:
                pos += 1
                if d == 0 { return true }
                d -= 1
            case 10, 13:
                if !triple { return false }
                pos += 1
            case 34, 39:
                if nesting > 20 { pos += 1; continue }
                var f = false
                var k = pos - 1
                while k >= 0 && isIdentChar(buf[k]) {
                    if buf[k] | 0x20 == 102 || buf[k] | 0x20 == 116 { f = true }
                    k -= 1
                }
                if !scanString(isF: f, nesting: nesting + 1) { return false }
            case 92:
                pos += 2
            default:
                pos += 1
            }
        }
        return false
    }

    static let threeCharOps: [(UInt8, UInt8, UInt8)] = [
        (42, 42, 61), (47, 47, 61), (62, 62, 61), (60, 60, 61), (46, 46, 46),
    ]

    mutating func lexOperator() {
        let s = pos
        let a = buf[pos], b = at(pos + 1), c = at(pos + 2)
        var len = 1
        if Self.threeCharOps.contains(where: { $0 == (a, b, c) }) {
            len = 3
        } else {
            switch (a, b) {
            case (42, 42), (47, 47), (62, 62), (60, 60), (60, 61), (62, 61), (61, 61), (33, 61),
                 (45, 62), (43, 61), (45, 61), (42, 61), (47, 61), (37, 61), (38, 61), (124, 61),
                 (94, 61), (64, 61), (58, 61):
                len = 2
            default:
                len = 1
            }
        }
        pos += len
        var kind = PyTokenKind.op
        if len == 1 {
            switch a {
            case 40, 91, 123: depth += 1
            case 41, 93, 125: depth = max(0, depth - 1)
            case 43, 45, 42, 47, 37, 64, 38, 124, 94, 126, 60, 62, 44, 58, 59, 46, 61: break
            default: kind = .error
            }
        }
        emit(kind, s, pos)
        lineHasTokens = true
    }
}
