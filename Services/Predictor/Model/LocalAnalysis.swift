/// What the local models learn from the text around the cursor: the token history before it
/// (a bounded window, so cost does not grow with the file), a cache n-gram model of the
/// window on both sides of the cursor, identifier frequencies and the file's definitions.
public struct LocalAnalysis: Sendable {
    /// Lines before the cursor that are tokenized.
    public static let linesBefore = 300
    /// Lines after the cursor that are tokenized (as evidence only).
    public static let linesAfter = 60

    /// False when the cursor is inside a string or comment, or right after a number.
    public var valid = true
    /// The identifier part typed left of the cursor.
    public var typed = ""
    /// Model symbols before the cursor (the typed part excluded), oldest first.
    public var history: [String] = []
    /// Bracket depth at the cursor.
    public var depth = 0
    /// The previous token's symbol when it is on the cursor's logical line.
    public var previousOnLine: String?
    /// Whether the character left of the typed part is blank (or the line start).
    public var leftIsBlank = true
    /// Whether the rest of the line right of the cursor holds only blanks.
    public var restOfLineBlank = true
    /// An n-gram model of the window around the cursor.
    public var cache: NGramModel
    /// Identifier occurrences in the window.
    public var identifierCounts: [String: Int] = [:]
    /// Identifiers seen right after a `.` in the window, with counts.
    public var attributeCounts: [String: Int] = [:]
    /// Identifiers seen after `self.` in the window and file.
    public var selfAttributes: [String: Int] = [:]
    /// Definitions in the whole file.
    public var definitions: [SymbolDefinition] = []
    /// Zero-based line of the cursor.
    public var cursorLine = 0

    /// The name before a trailing `.` in the history (`self` for `self.`), if any.
    public var receiver: String? {
        guard history.count >= 2, history[history.count - 1] == "." else { return nil }
        let r = history[history.count - 2]
        return TokenNormalizer.isNameLike(r) ? r : nil
    }

    /// Analyses a context.
    public init(_ ctx: CompletionContext, order: Int = 4) {
        let pre = ctx.prefixBytes
        let suf = ctx.suffixBytes
        var typedStart = pre.count
        while typedStart > 0 && isIdentChar(pre[typedStart - 1]) { typedStart -= 1 }
        typed = String(decoding: pre[typedStart...], as: UTF8.self)
        cache = NGramModel.empty(order: order)
        if let f = typed.utf8.first, isDigit(f) { valid = false; return }
        if typedStart > 0 {
            let c = pre[typedStart - 1]
            leftIsBlank = c == 32 || c == 9 || c == 10 || c == 13
        }
        restOfLineBlank = !suf.prefix(while: { $0 != 10 && $0 != 13 }).contains(where: { $0 != 32 && $0 != 9 })

        // Window start: `linesBefore` lines back, then forward to a column-0 line if one is near.
        var nl = 0
        var ws = typedStart
        while ws > 0 {
            if pre[ws - 1] == 10 { nl += 1; if nl > LocalAnalysis.linesBefore { break } }
            ws -= 1
        }
        cursorLine = 0
        if ws > 0 {
            var probe = ws
            var scanned = 0
            while probe < typedStart && scanned < LocalAnalysis.linesBefore / 2 {
                if probe == ws || pre[probe - 1] == 10 {
                    if isIdentStart(pre[probe]) { ws = probe; break }
                    scanned += 1
                }
                probe += 1
            }
        }
        var window = Array(pre[ws..<typedStart])
        let sentinelAt = window.count
        window.append(120) // "x": a sentinel name reveals INDENT/DEDENT and whether we are in a string
        let toks = PythonTokenizer().tokenize(bytes: window)
        guard let si = toks.lastIndex(where: { $0.start == sentinelAt && $0.kind == .name && $0.end == sentinelAt + 1 }) else {
            valid = false
            return
        }
        history.reserveCapacity(si)
        var d = 0
        var lastSym: String?
        var lastWasDot = false
        var lastWasSelfDot = false
        var prevName = ""
        for t in toks[..<si] {
            guard let s = TokenNormalizer.symbol(t, in: window) else { continue }
            history.append(s)
            switch t.kind {
            case .op:
                if let f = s.utf8.first {
                    if f == 40 || f == 91 || f == 123 { d += 1 } else if f == 41 || f == 93 || f == 125 { d = max(0, d - 1) }
                }
                lastSym = s
                lastWasSelfDot = s == "." && prevName == "self"
                lastWasDot = s == "."
                prevName = ""
            case .newline, .indent, .dedent:
                lastSym = nil
                lastWasDot = false; prevName = ""
            case .name:
                identifierCounts[s, default: 0] += 1
                if lastWasDot { attributeCounts[s, default: 0] += 1 }
                if lastWasSelfDot { selfAttributes[s, default: 0] += 1 }
                lastWasDot = false; lastWasSelfDot = false
                prevName = s
                lastSym = s
            default:
                lastSym = s
                lastWasDot = false; prevName = ""
            }
        }
        depth = d
        previousOnLine = lastSym

        // Evidence right of the cursor.
        var se = 0
        var lines = 0
        while se < suf.count {
            if suf[se] == 10 { lines += 1; if lines >= LocalAnalysis.linesAfter { break } }
            se += 1
        }
        let after = Array(suf[..<se])
        let atoks = PythonTokenizer().tokenize(bytes: after)
        var afterSyms: [String] = []
        afterSyms.reserveCapacity(atoks.count)
        var dot = false
        for t in atoks {
            guard let s = TokenNormalizer.symbol(t, in: after) else { continue }
            afterSyms.append(s)
            if t.kind == .name {
                identifierCounts[s, default: 0] += 1
                if dot { attributeCounts[s, default: 0] += 1 }
            }
            dot = s == "."
        }
        var trainer = NGramTrainer(order: order)
        trainer.topPerContext = 8
        trainer.add(symbols: history)
        trainer.add(symbols: afterSyms)
        cache = trainer.build()

        // Whole-file definitions: cheap line scan.
        var all = pre
        all.append(contentsOf: suf)
        for i in 0..<typedStart where pre[i] == 10 { cursorLine += 1 }
        definitions = SymbolScanner.scan(bytes: all, fullyScannedLines: max(0, cursorLine - LocalAnalysis.linesBefore)..<(cursorLine + LocalAnalysis.linesAfter))
        for dfn in definitions where dfn.kind == .attribute { selfAttributes[dfn.name, default: 0] += 2 }
    }
}
