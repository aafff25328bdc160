/// A fast line-based scan for definitions (no full tokenization), cheap enough to run over a
/// whole 5,000-line file per request.
public enum SymbolScanner {
    /// Scans `source` for definitions.
    public static func scan(_ source: String) -> [SymbolDefinition] {
        scan(bytes: Array(source.utf8))
    }

    /// Scans UTF-8 bytes for definitions.
    public static func scan(bytes b: [UInt8], fullyScannedLines: Range<Int> = 0..<Int.max) -> [SymbolDefinition] {
        var out: [SymbolDefinition] = []
        b.withUnsafeBufferPointer { buf in
            let n = buf.count
            var lineStart = 0
            var line = 0
            while lineStart < n {
                var lineEnd = lineStart
                while lineEnd < n && buf[lineEnd] != 10 { lineEnd += 1 }
                var p = lineStart
                var col = 0
                while p < lineEnd && (buf[p] == 32 || buf[p] == 9) { col += buf[p] == 9 ? 8 : 1; p += 1 }
                if p < lineEnd && isIdentStart(buf[p]) && (col == 0 || fullyScannedLines.contains(line) || startsDefinition(buf, p, lineEnd)) {
                    scanLine(buf, p, lineEnd, line, col, &out)
                }
                lineStart = lineEnd + 1
                line += 1
            }
        }
        return out
    }

    /// Whether the line at `p` starts with `def`, `class`, `async` or `self.` (cheap byte test).
    @inline(__always) static func startsDefinition(_ buf: UnsafeBufferPointer<UInt8>, _ p: Int, _ e: Int) -> Bool {
        @inline(__always) func has(_ w: StaticString) -> Bool {
            let n = w.utf8CodeUnitCount
            guard p + n < e else { return false }
            let s = w.utf8Start
            for i in 0..<n where buf[p + i] != s[i] { return false }
            return !isIdentChar(buf[p + n]) || w.utf8Start[n - 1] == 46
        }
        return has("def") || has("class") || has("async") || has("self.") || has("import") || has("from")
    }

    @inline(__always) static func word(_ buf: UnsafeBufferPointer<UInt8>, _ p: inout Int, _ e: Int) -> String? {
        while p < e && (buf[p] == 32 || buf[p] == 9) { p += 1 }
        guard p < e, isIdentStart(buf[p]) else { return nil }
        let s = p
        while p < e && isIdentChar(buf[p]) { p += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: buf[s..<p]), as: UTF8.self)
    }

    @inline(__always) static func skipSpaces(_ buf: UnsafeBufferPointer<UInt8>, _ p: inout Int, _ e: Int) {
        while p < e && (buf[p] == 32 || buf[p] == 9) { p += 1 }
    }

    static func scanLine(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ e: Int, _ line: Int, _ col: Int,
                         _ out: inout [SymbolDefinition]) {
        var p = start
        guard var first = word(buf, &p, e) else { return }
        if first == "async" { guard let w = word(buf, &p, e) else { return }; first = w }
        func add(_ name: String, _ kind: SymbolDefinition.Kind) {
            if !PythonKeywords.all.contains(name) { out.append(SymbolDefinition(name: name, kind: kind, line: line, indent: col)) }
        }
        switch first {
        case "def":
            guard let name = word(buf, &p, e) else { return }
            add(name, .function)
            // Parameters: identifiers right after '(' or ',' or '*' at bracket depth 1.
            var depth = 0
            var expectName = false
            while p < e {
                let c = buf[p]
                if c == 40 || c == 91 || c == 123 { depth += 1; expectName = depth == 1; p += 1; continue }
                if c == 41 || c == 93 || c == 125 { depth -= 1; p += 1; if depth <= 0 { break }; continue }
                if depth == 1 && c == 44 { expectName = true; p += 1; continue }
                if depth == 1 && c == 42 { p += 1; continue }
                if c == 32 || c == 9 { p += 1; continue }
                if expectName && depth == 1 && isIdentStart(c) {
                    if let w = word(buf, &p, e), w != "self", w != "cls" { add(w, .parameter) }
                    expectName = false
                    continue
                }
                expectName = false
                p += 1
            }
        case "class":
            if let name = word(buf, &p, e) { add(name, .class) }
        case "import":
            while p < e {
                guard let w = word(buf, &p, e) else { break }
                var bound = w
                while p < e && buf[p] == 46 { p += 1; _ = word(buf, &p, e) }
                var q = p
                if word(buf, &q, e) == "as", let alias = word(buf, &q, e) { bound = alias; p = q }
                add(bound, .import)
                skipSpaces(buf, &p, e)
                if p < e && buf[p] == 44 { p += 1 } else { break }
            }
        case "from":
            while p < e && !(buf[p] == 32 && p + 7 < e && buf[p + 1] == 105 && buf[p + 2] == 109 && buf[p + 3] == 112
                             && buf[p + 4] == 111 && buf[p + 5] == 114 && buf[p + 6] == 116 && buf[p + 7] == 32) { p += 1 }
            p += 7
            while p < e {
                skipSpaces(buf, &p, e)
                if p < e && (buf[p] == 40 || buf[p] == 44) { p += 1; continue }
                guard let w = word(buf, &p, e) else { break }
                var bound = w
                var q = p
                if word(buf, &q, e) == "as", let alias = word(buf, &q, e) { bound = alias; p = q }
                add(bound, .import)
            }
        case "for":
            while let w = word(buf, &p, e) {
                if w == "in" { break }
                add(w, .variable)
                skipSpaces(buf, &p, e)
                if p < e && buf[p] == 44 { p += 1 } else { break }
            }
        case "with", "except":
            // ... as NAME
            var q = p
            while q + 3 < e {
                if buf[q] == 32 && buf[q + 1] == 97 && buf[q + 2] == 115 && buf[q + 3] == 32 {
                    var r = q + 4
                    if let w = word(buf, &r, e) { add(w, .variable) }
                    q = r
                } else { q += 1 }
            }
        case "self":
            if p < e && buf[p] == 46 {
                p += 1
                if let attr = word(buf, &p, e) {
                    skipSpaces(buf, &p, e)
                    if p < e && (buf[p] == 61 || buf[p] == 58) && !(p + 1 < e && buf[p + 1] == 61) { add(attr, .attribute) }
                }
            }
        default:
            // NAME [, NAME]* = ...   or   NAME: annotation = ...
            var names = [first]
            while true {
                skipSpaces(buf, &p, e)
                guard p < e else { return }
                if buf[p] == 44 {
                    p += 1
                    guard let w = word(buf, &p, e) else { return }
                    names.append(w)
                    continue
                }
                break
            }
            guard p < e else { return }
            let c = buf[p]
            let next: UInt8 = p + 1 < e ? buf[p + 1] : 0
            if (c == 61 && next != 61) || (c == 58 && next != 61 && names.count == 1) {
                for nm in names { add(nm, .variable) }
            }
        }
    }
}
