import Foundation

/// Decodes completions from the local models: scores the first token (completing the typed
/// identifier) with the interpolated n-gram models (base, user, cache) optionally mixed with
/// the symbol model, then extends each of the best first tokens to the end of the line by
/// beam search.
public struct LocalDecoder: Sendable {
    /// Weights and search limits.
    public struct Settings: Sendable {
        /// Weight of the base model in the n-gram mixture.
        public var baseWeight = 0.45
        /// Weight of the user's model (when it has data).
        public var userWeight = 0.15
        /// Weight of the cache model of the current file.
        public var cacheWeight = 0.80
        /// Weight of the symbol model at the first token (0 disables it).
        public var symbolWeight = 0.05
        /// Weight of the n-gram mixture (0 gives a pure symbol model).
        public var ngramWeight = 1.0
        /// Whether predictions run on to the end of the line.
        public var extendLine = true
        /// Beam width of the line extension.
        public var beamWidth = 3
        /// Most tokens added after the first.
        public var maxExtraTokens = 14
        /// Length normalisation exponent when ranking finished lines (0: raw probability).
        public var lengthPenalty = 0.5
        /// Exponent scaling each model's weight by the length of its longest matched context
        /// (0: fixed weights).
        public var contextBoost = 2.0
        /// Time after which no further line extensions are started, in seconds from the
        /// decoder's creation (bounds the latency tail on long lines).
        public var extensionBudget = 0.004
        /// Order of the cache model built from the current file.
        public var cacheOrder = 6
        /// Longest prediction in characters.
        public var maxChars = 100
        /// Creates default settings.
        public init() {}
    }

    /// The context.
    public let analysis: LocalAnalysis
    /// The settings.
    public var settings: Settings
    let models: [(NGramModel, Double)]
    let spacing: SpacingModel
    let user: UserModel?
    let started = DispatchTime.now().uptimeNanoseconds

    func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds &- started) / 1e9 }

    /// Prepares a decoder for a context.
    public init(_ ctx: CompletionContext, settings: Settings = Settings()) {
        self.init(ctx, analysis: LocalAnalysis(ctx, order: settings.cacheOrder), settings: settings)
    }

    /// Prepares a decoder from an existing analysis.
    public init(_ ctx: CompletionContext, analysis: LocalAnalysis, settings: Settings = Settings()) {
        self.analysis = analysis
        self.settings = settings
        var ms: [(NGramModel, Double)] = []
        if let b = ctx.resources.base, !b.isEmpty { ms.append((b, settings.baseWeight)) }
        if let u = ctx.resources.user, !u.ngram.isEmpty { ms.append((u.ngram, settings.userWeight)) }
        if !analysis.cache.isEmpty { ms.append((analysis.cache, settings.cacheWeight)) }
        let total = ms.reduce(0) { $0 + $1.1 }
        models = total > 0 ? ms.map { ($0.0, $0.1 / total) } : []
        spacing = ctx.resources.base?.spacing ?? SpacingModel()
        user = ctx.resources.user
    }

    struct Hyp {
        var syms: [String]      // generated symbols
        var text: String
        var logp: Double
        var depth: Int
        var done: Bool
    }

    func states(_ history: [String]) -> [NGramModel.State] {
        let tail = history.suffix(8)
        return models.map { $0.0.state(history: tail) }
    }

    /// Mixture weights for the given states (fixed, or boosted by matched context length).
    func weights(_ st: [NGramModel.State]) -> [Double] {
        if settings.contextBoost == 0 { return models.map(\.1) }
        var w = models.indices.map { i -> Double in
            let matched = st[i].ctx.lastIndex(where: { $0 >= 0 }) ?? 0
            return models[i].1 * pow(Double(matched + 1), settings.contextBoost)
        }
        let t = w.reduce(0, +)
        if t > 0 { w = w.map { $0 / t } }
        return w
    }

    func lmProb(_ sym: String, _ st: [NGramModel.State]) -> Double {
        let w = weights(st)
        var p = 0.0
        for (i, m) in models.enumerated() { p += w[i] * m.0.prob(sym, st[i]) }
        return p
    }

    /// Symbol-model distribution over names completing `typed` at this position.
    public func symbolDistribution() -> [String: Double] {
        let a = analysis
        var score: [String: Double] = [:]
        let typed = a.typed
        func ok(_ s: String) -> Bool { s.hasPrefix(typed) && TokenNormalizer.isIdentifier(s) }
        if let recv = a.receiver {
            if recv == "self" || recv == "cls" {
                for (k, v) in a.selfAttributes where ok(k) { score[k, default: 0] += Double(v) }
                for d in a.definitions where d.kind == .function && d.indent > 0 && ok(d.name) { score[d.name, default: 0] += 1 }
            } else if let members = user?.moduleMembers[recv] {
                for m in members where ok(m) { score[m, default: 0] += 2 }
            }
            for (k, v) in a.attributeCounts where ok(k) { score[k, default: 0] += 0.5 * Double(v) }
        } else {
            for (k, v) in a.identifierCounts where ok(k) { score[k, default: 0] += Double(v) }
            for d in a.definitions where d.kind != .attribute && ok(d.name) {
                let dist = Double(abs(d.line - a.cursorLine))
                let scope = d.indent == 0 || d.line <= a.cursorLine ? 1.0 : 0.3
                score[d.name, default: 0] += scope * (1.0 + 2.0 * exp(-dist / 150))
            }
            if let u = user {
                for (k, v) in u.definitions(withPrefix: typed) where ok(k) { score[k, default: 0] += 0.5 * Double(min(v, 4)) }
            }
        }
        let total = score.values.reduce(0, +)
        guard total > 0 else { return [:] }
        return score.mapValues { $0 / total }
    }

    func render(_ prev: String?, _ sym: String, depth: Int) -> String {
        guard let p = prev else { return sym }
        return spacing.wantsSpace(p, sym, inBrackets: depth > 0) ? " " + sym : sym
    }

    static func depthAfter(_ sym: String, _ d: Int) -> Int {
        switch sym {
        case "(", "[", "{": return d + 1
        case ")", "]", "}": return max(0, d - 1)
        default: return d
        }
    }

    /// Scored first tokens, best first.
    public func firstTokens(limit: Int) -> [(String, Double)] {
        let a = analysis
        guard a.valid else { return [] }
        let st = states(a.history)
        var cands = Set<String>()
        let typed = a.typed
        if settings.ngramWeight > 0 {
            for (i, m) in models.enumerated() {
                let ids = typed.isEmpty ? nil : m.0.idRange(prefix: typed)
                if let r = ids, r.isEmpty { continue }
                for id in m.0.candidates(st[i], in: ids, limit: typed.isEmpty ? 24 : 40) {
                    let s = m.0.vocab[Int(id)]
                    if !typed.isEmpty && !TokenNormalizer.isNameLike(s) { continue }
                    if TokenNormalizer.isRenderable(s) { cands.insert(s) }
                }
            }
        }
        var symDist: [String: Double] = [:]
        if settings.symbolWeight > 0 {
            symDist = symbolDistribution()
            // Keep the strongest symbols only.
            for (k, _) in symDist.sorted(by: { $0.value > $1.value }).prefix(30) { cands.insert(k) }
        }
        let mu = settings.ngramWeight > 0 ? settings.symbolWeight : 1.0
        var scored: [(String, Double)] = []
        scored.reserveCapacity(cands.count)
        for c in cands {
            var p = settings.ngramWeight > 0 ? lmProb(c, st) : 0
            if settings.symbolWeight > 0, TokenNormalizer.isIdentifier(c) {
                p = (1 - mu) * p + mu * (symDist[c] ?? 0)
            }
            if p > 0 { scored.append((c, p)) }
        }
        scored.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        return Array(scored.prefix(limit))
    }

    /// Up to `n` distinct predictions, best first.
    public func predictions(n: Int) -> [Candidate] {
        let a = analysis
        guard n > 0, a.valid else { return [] }
        let firsts = firstTokens(limit: max(n, 1) + 2)
        var out: [Candidate] = []
        var seen = Set<String>()
        var extras: [(String, Double)] = []
        var memo = IdMemo()
        let lineHead = LocalDecoder.lineHead(a.history)
        for (rank, (sym, p)) in firsts.enumerated() {
            if out.count >= n { break }
            let lead = (a.typed.isEmpty && !a.leftIsBlank) ? render(a.previousOnLine, sym, depth: a.depth) : sym
            var text = lead
            if settings.extendLine && a.restOfLineBlank && settings.ngramWeight > 0 && (rank == 0 || elapsed() < settings.extensionBudget) {
                let hyps = extend(first: sym, text: lead, n: 2, width: rank == 0 ? settings.beamWidth : 1, memo: &memo)
                    .filter { LocalDecoder.isPlausibleLine($0.text, lineStartsWith: lineHead) }
                if let best = hyps.first { text = best.text }
                for h in hyps.dropFirst() { extras.append((h.text, p * 0.5)) }
            }
            text = String(text.prefix(while: { $0 != "\n" && $0 != "\r" }))
            if !text.isEmpty {
                if seen.insert(text).inserted { out.append(Candidate(text: text, score: p, model: "")) }
            }
        }
        for (t, p) in extras where out.count < n {
            if !t.isEmpty && seen.insert(t).inserted { out.append(Candidate(text: t, score: p, model: "")) }
        }
        return out
    }

    /// Keywords that open a block; only their lines may end with `:`.
    static let blockKeywords: Set<String> = ["def", "class", "if", "elif", "else", "for", "while", "with", "try",
                                              "except", "finally", "async", "match", "case"]

    /// The first token of the cursor's line in `history` (nil when the line is empty so far).
    static func lineHead(_ history: [String]) -> String? {
        var i = history.count
        while i > 0 {
            let t = history[i - 1]
            if t == TokenNormalizer.newline || t == TokenNormalizer.bos { break }
            i -= 1
        }
        while i < history.count, history[i] == TokenNormalizer.indent || history[i] == TokenNormalizer.dedent { i += 1 }
        return i < history.count ? history[i] : nil
    }

    /// Whether a completed line could be Python: a line ends with `:` only on a block
    /// header (`x = f(self):` never is), a `def` names its parameters, and two plain names
    /// never stand side by side (`f x`) unless one is a keyword (`x in y`, `import x`).
    /// Lines that start with the completion itself are judged by their own head.
    static func isPlausibleLine(_ text: String, lineStartsWith head: String?) -> Bool {
        let bytes = Array(text.utf8)
        let toks = PythonTokenizer().tokenize(bytes: bytes).filter { $0.kind == .name || $0.kind == .op || $0.kind == .number || $0.kind == .string }
        let first = head ?? toks.first.map { $0.text(in: bytes) }
        if text.last == ":" && !blockKeywords.contains(first ?? "") { return false }
        if first == "def" && text.last == ":" && !text.contains("(") { return false }
        for (a, b) in zip(toks, toks.dropFirst()) where a.kind == .name && b.kind == .name {
            if !PythonKeywords.all.contains(a.text(in: bytes)) && !PythonKeywords.all.contains(b.text(in: bytes)) {
                return false
            }
        }
        return true
    }

    /// Per-decode memo of symbol ids in each model.
    struct IdMemo {
        var ids: [String: [UInt32?]] = [:]
        mutating func get(_ sym: String, _ models: [(NGramModel, Double)]) -> [UInt32?] {
            if let v = ids[sym] { return v }
            let v = models.map { $0.0.id(of: sym) }
            ids[sym] = v
            return v
        }
    }

    /// Beam search from a first token to the end of the line.
    func extend(first: String, text: String, n: Int, width: Int, memo: inout IdMemo) -> [Hyp] {
        let a = analysis
        var beam = [Hyp(syms: [first], text: text, logp: 0, depth: LocalDecoder.depthAfter(first, a.depth), done: false)]
        var finished: [Hyp] = []
        let tail = Array(a.history.suffix(models.map(\.0.order).max() ?? 4))
        var tailIds: [[UInt32?]] = models.map { _ in [] }
        for s in tail {
            let v = memo.get(s, models)
            for i in models.indices { tailIds[i].append(v[i]) }
        }
        let alpha = settings.lengthPenalty
        func norm(_ h: Hyp) -> Double { h.logp / pow(Double(h.syms.count), alpha) }
        for step in 0..<settings.maxExtraTokens {
            if step > 3 && elapsed() > 2.5 * settings.extensionBudget { break }
            var next: [Hyp] = []
            for h in beam {
                var st: [NGramModel.State] = []
                for (i, m) in models.enumerated() {
                    var hist = tailIds[i]
                    for s in h.syms.suffix(m.0.order) { hist.append(memo.get(s, models)[i]) }
                    st.append(m.0.state(ids: Array(hist.suffix(m.0.order - 1))))
                }
                let w = weights(st)
                var cands = Set<String>()
                for (i, m) in models.enumerated() {
                    for id in m.0.candidates(st[i], limit: 6) { cands.insert(m.0.vocab[Int(id)]) }
                }
                for c in cands {
                    let cid = memo.get(c, models)
                    var p = 0.0
                    for (i, m) in models.enumerated() { p += w[i] * m.0.prob(cid[i], st[i]) }
                    guard p > 1e-4 else { continue }
                    if c == TokenNormalizer.newline {
                        var f = h
                        f.logp += log(p)
                        f.done = true
                        finished.append(f)
                        continue
                    }
                    guard TokenNormalizer.isRenderable(c) else { continue }
                    var g = h
                    g.text += render(h.syms.last, c, depth: h.depth)
                    g.syms.append(c)
                    g.depth = LocalDecoder.depthAfter(c, h.depth)
                    g.logp += log(p)
                    if g.text.utf8.count <= settings.maxChars { next.append(g) }
                }
            }
            next.sort { $0.logp > $1.logp }
            beam = Array(next.prefix(width))
            if beam.isEmpty { break }
            // Stop once a finished line beats every open one can still reach
            // (An open line's normalised score is at best its log-probability over the longest length.)
            let optimistic = (beam.map(\.logp).max() ?? -.infinity) / pow(Double(settings.maxExtraTokens + 2), alpha)
            if let bestDone = finished.map(norm).max(), bestDone > optimistic { break }
        }
        finished.sort { norm($0) > norm($1) }
        if finished.isEmpty { return Array(beam.prefix(1)) }
        return Array(finished.prefix(n))
    }
}
