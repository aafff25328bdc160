/// Learns whether a space separates two adjacent tokens on a line, from training source.
///
/// Keyed by the spacing classes of both tokens and whether the pair sits inside brackets
/// (so `f(a=1)` and `a = 1` are told apart).
public struct SpacingModel: Sendable, Equatable {
    /// `key -> (times spaced, times adjacent)`.
    public private(set) var counts: [String: SIMD2<UInt32>] = [:]

    /// Creates an empty model (falls back to built-in rules).
    public init() {}

    /// Creates a model from stored counts.
    public init(counts: [String: SIMD2<UInt32>]) { self.counts = counts }

    static func key(_ a: String, _ b: String, inBrackets: Bool) -> String {
        TokenNormalizer.spacingClass(a) + "\u{1}" + TokenNormalizer.spacingClass(b) + (inBrackets ? "\u{1}1" : "\u{1}0")
    }

    /// Records one observation.
    public mutating func observe(_ a: String, _ b: String, inBrackets: Bool, spaced: Bool) {
        let k = SpacingModel.key(a, b, inBrackets: inBrackets)
        var v = counts[k] ?? SIMD2(0, 0)
        if spaced { v.x &+= 1 } else { v.y &+= 1 }
        counts[k] = v
    }

    /// Records the spacing of every adjacent token pair in `tokens` lying on one physical line.
    public mutating func observe(tokens: [PyToken], source: [UInt8]) {
        var depth = 0
        var prev: PyToken? = nil
        var prevSym = ""
        for t in tokens {
            guard t.kind == .name || t.kind == .op || t.kind == .number || t.kind == .string else {
                prev = nil
                continue
            }
            let sym = TokenNormalizer.symbol(t, in: source) ?? ""
            if let p = prev, p.end <= t.start, t.start <= source.count {
                var onlyBlank = true
                for i in p.end..<t.start where source[i] != 32 && source[i] != 9 { onlyBlank = false; break }
                if onlyBlank {
                    observe(prevSym, sym, inBrackets: depth > 0, spaced: t.start > p.end)
                }
            }
            if t.kind == .op, let f = sym.utf8.first {
                if f == 40 || f == 91 || f == 123 { depth += 1 } else if f == 41 || f == 93 || f == 125 { depth = max(0, depth - 1) }
            }
            prev = t
            prevSym = sym
        }
    }

    /// Merges another model's counts into this one.
    public mutating func merge(_ other: SpacingModel) {
        for (k, v) in other.counts { counts[k, default: SIMD2(0, 0)] &+= v }
    }

    /// Whether a space should separate `a` and `b`.
    public func wantsSpace(_ a: String, _ b: String, inBrackets: Bool) -> Bool {
        if let v = counts[SpacingModel.key(a, b, inBrackets: inBrackets)], v.x + v.y > 0 { return v.x > v.y }
        return SpacingModel.fallback(a, b)
    }

    static let tight: Set<String> = [".", "(", ")", "[", "]", "{", "}", ",", ":", ";"]

    static func fallback(_ a: String, _ b: String) -> Bool {
        if a == "(" || a == "[" || a == "{" || a == "." || a == "~" { return false }
        if b == ")" || b == "]" || b == "}" || b == "," || b == ":" || b == "." || b == ";" || b == "(" || b == "[" {
            return PythonKeywords.all.contains(a) && b != ":" && b != "." && b != "," && b != ")"
        }
        if a == "," || a == ":" || a == ";" { return true }
        return true
    }
}
