import Foundation

/// A token-level n-gram language model with interpolated Kneser-Ney smoothing.
///
/// Frozen and compact: the vocabulary is sorted (so all symbols with a given prefix form one
/// id range), each order is an `NGramTable`. Build one with `NGramTrainer`; save and load it
/// with `serialized()` / `init(serialized:)`.
public struct NGramModel: Sendable, Equatable {
    /// The model order (longest n-gram).
    public let order: Int
    /// Symbols, sorted by UTF-8 bytes; a symbol's id is its index.
    public let vocab: [String]
    /// `tables[k]` holds contexts of length `k` (k = 0 is the unigram level).
    public let tables: [NGramTable]
    /// Learned token spacing.
    public let spacing: SpacingModel
    /// Number of training tokens.
    public let tokenCount: Int

    /// Creates a model from its parts.
    public init(order: Int, vocab: [String], tables: [NGramTable], spacing: SpacingModel, tokenCount: Int) {
        self.order = order
        self.vocab = vocab
        self.tables = tables
        self.spacing = spacing
        self.tokenCount = tokenCount
    }

    /// An empty model.
    public static func empty(order: Int = 4) -> NGramModel {
        NGramTrainer(order: order).build()
    }

    /// Whether the model saw no training data.
    public var isEmpty: Bool { tokenCount == 0 }

    @inline(__always) static func less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// The id of `symbol`, if known.
    public func id(of symbol: String) -> UInt32? {
        var lo = 0, hi = vocab.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if NGramModel.less(vocab[mid], symbol) { lo = mid + 1 } else { hi = mid }
        }
        return lo < vocab.count && vocab[lo] == symbol ? UInt32(lo) : nil
    }

    /// The ids of all symbols starting with `prefix` (a contiguous range).
    public func idRange(prefix: String) -> Range<UInt32> {
        if prefix.isEmpty { return 0..<UInt32(vocab.count) }
        var lo = 0, hi = vocab.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if NGramModel.less(vocab[mid], prefix) { lo = mid + 1 } else { hi = mid }
        }
        let start = lo
        hi = vocab.count
        let p = Array(prefix.utf8)
        while lo < hi {
            let mid = (lo + hi) >> 1
            if vocab[mid].utf8.starts(with: p) { lo = mid + 1 } else { hi = mid }
        }
        return UInt32(start)..<UInt32(lo)
    }

    /// Context indices per order for a history of symbols (oldest first).
    public struct State: Sendable {
        /// `ctx[k]` is the index of the length-k context in `tables[k]`, or -1.
        public var ctx: [Int]
    }

    /// Seed of the context hash.
    static let hashSeed: UInt64 = 0x51_7c_c1_b7_27_22_0a_95

    @inline(__always) static func mix(_ h: UInt64, _ id: UInt32) -> UInt64 {
        var x = (h ^ (UInt64(id) &+ 0x9E37_79B9)) &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 29
        x = x &* 0xBF58_476D_1CE4_E5B9
        x ^= x >> 32
        return x
    }

    /// Looks up the contexts formed by the last `order - 1` symbols of `history`.
    public func state(history: ArraySlice<String>) -> State {
        state(ids: history.suffix(max(0, order - 1)).map { id(of: $0) })
    }

    /// Looks up the contexts formed by the last `order - 1` ids of `history` (nil: unknown symbol).
    public func state(ids history: [UInt32?]) -> State {
        var ctx = [Int](repeating: -1, count: order)
        var h = NGramModel.hashSeed
        if let c0 = tables[0].find(h) { ctx[0] = c0 } else { return State(ctx: ctx) }
        var k = 1
        var i = history.count - 1
        while k < order && i >= 0 {
            guard let id = history[i] else { break }
            h = NGramModel.mix(h, id)
            guard let c = tables[k].find(h) else { break }
            ctx[k] = c
            k += 1
            i -= 1
        }
        return State(ctx: ctx)
    }

    /// Probability of symbol id `w` (nil: out of vocabulary) in state `s`.
    public func prob(_ w: UInt32?, _ s: State) -> Double {
        var p = 1.0 / Double(max(vocab.count, 1) + 1)
        for k in 0..<order {
            let ci = s.ctx[k]
            if ci < 0 { break }
            let t = tables[k]
            let total = Double(t.ctxTotal[ci])
            if total <= 0 { continue }
            let c = w.map { Double(t.count(ci, $0)) } ?? 0
            let d = t.discount
            p = max(c - d, 0) / total + d * Double(t.distinct(ci)) / total * p
        }
        return p
    }

    /// Probability of a symbol string in state `s`.
    public func prob(_ symbol: String, _ s: State) -> Double { prob(id(of: symbol), s) }

    /// Likely next symbols in state `s`: the frequent successors of each matched context,
    /// longest context first, restricted to `ids` when given.
    public func candidates(_ s: State, in ids: Range<UInt32>? = nil, limit: Int) -> [UInt32] {
        var out: [UInt32] = []
        var seen = Set<UInt32>()
        var k = order - 1
        while k >= 0 && out.count < limit {
            let ci = s.ctx[k]
            if ci >= 0 {
                let t = tables[k]
                if let r = ids {
                    let range = t.successors(ci, in: r)
                    if range.count <= 64 {
                        var items = range.map { (t.succIds[$0], t.succCounts[$0]) }
                        items.sort { $0.1 > $1.1 }
                        for (w, _) in items where out.count < limit && seen.insert(w).inserted { out.append(w) }
                    } else {
                        // Too many: take the most frequent via a bounded selection.
                        var best: [(UInt32, UInt32)] = []
                        for j in range {
                            let c = t.succCounts[j]
                            if best.count < limit { best.append((t.succIds[j], c)); if best.count == limit { best.sort { $0.1 > $1.1 } } }
                            else if c > best[limit - 1].1 {
                                best[limit - 1] = (t.succIds[j], c)
                                var m = limit - 1
                                while m > 0 && best[m].1 > best[m - 1].1 { best.swapAt(m, m - 1); m -= 1 }
                            }
                        }
                        if best.count < limit { best.sort { $0.1 > $1.1 } }
                        for (w, _) in best where out.count < limit && seen.insert(w).inserted { out.append(w) }
                    }
                } else {
                    for j in Int(t.topFirst[ci])..<Int(t.topFirst[ci + 1]) where out.count < limit {
                        let w = t.topIds[j]
                        if seen.insert(w).inserted { out.append(w) }
                    }
                }
            }
            k -= 1
        }
        return out
    }

    static func isMonotonic(_ a: [UInt32]) -> Bool {
        var prev: UInt32 = 0
        for v in a { if v < prev { return false }; prev = v }
        return true
    }

    static let magic: UInt32 = 0x4D47_4E50 // "PNGM"
    static let formatVersion: UInt32 = 1

    /// A compact binary encoding of the model.
    public func serialized() -> Data {
        var w = BinaryWriter()
        w.u32(NGramModel.magic)
        w.u32(NGramModel.formatVersion)
        w.u32(UInt32(order))
        w.u64(UInt64(tokenCount))
        var blob: [UInt8] = []
        var lens: [UInt32] = []
        lens.reserveCapacity(vocab.count)
        for s in vocab { blob.append(contentsOf: s.utf8); lens.append(UInt32(s.utf8.count)) }
        w.array(lens)
        w.array(blob)
        for t in tables {
            w.f64(t.discount)
            w.array(t.ctxKeys); w.array(t.ctxFirst); w.array(t.ctxTotal)
            w.array(t.succIds); w.array(t.succCounts); w.array(t.topFirst); w.array(t.topIds)
        }
        let sp = spacing.counts.sorted { $0.key < $1.key }
        w.u32(UInt32(sp.count))
        for (k, v) in sp { w.string(k); w.u32(v.x); w.u32(v.y) }
        return w.data
    }

    /// Decodes a model written by `serialized()`.
    public init(serialized data: Data) throws {
        var r = BinaryReader(data)
        guard try r.u32() == NGramModel.magic, try r.u32() == NGramModel.formatVersion else {
            throw BinaryCodecError.corrupt("bad header")
        }
        let order = Int(try r.u32())
        guard order >= 1 && order <= 8 else { throw BinaryCodecError.corrupt("bad order") }
        let tokens = Int(try r.u64())
        let lens = try r.array(UInt32.self)
        let blob = try r.array(UInt8.self)
        var vocab: [String] = []
        vocab.reserveCapacity(lens.count)
        var off = 0
        for l in lens {
            let e = off + Int(l)
            guard e <= blob.count else { throw BinaryCodecError.corrupt("vocab") }
            vocab.append(String(decoding: blob[off..<e], as: UTF8.self))
            off = e
        }
        var tables: [NGramTable] = []
        for _ in 0..<order {
            var t = NGramTable()
            t.discount = try r.f64()
            t.ctxKeys = try r.array(UInt64.self); t.ctxFirst = try r.array(UInt32.self)
            t.ctxTotal = try r.array(UInt32.self); t.succIds = try r.array(UInt32.self)
            t.succCounts = try r.array(UInt32.self); t.topFirst = try r.array(UInt32.self)
            t.topIds = try r.array(UInt32.self)
            let nc = t.ctxKeys.count
            guard t.ctxFirst.count == nc + 1, t.ctxTotal.count == nc, t.topFirst.count == nc + 1,
                  t.succIds.count == t.succCounts.count, Int(t.ctxFirst.last ?? 0) == t.succIds.count,
                  Int(t.topFirst.last ?? 0) == t.topIds.count,
                  !t.succIds.contains(where: { Int($0) >= vocab.count }),
                  !t.topIds.contains(where: { Int($0) >= vocab.count }),
                  NGramModel.isMonotonic(t.ctxFirst), NGramModel.isMonotonic(t.topFirst),
                  t.ctxFirst.first == 0, t.topFirst.first == 0
            else { throw BinaryCodecError.corrupt("table") }
            tables.append(t)
        }
        let ns = Int(try r.u32())
        var sp: [String: SIMD2<UInt32>] = [:]
        for _ in 0..<ns {
            let k = try r.string()
            sp[k] = SIMD2(try r.u32(), try r.u32())
        }
        self.init(order: order, vocab: vocab, tables: tables, spacing: SpacingModel(counts: sp), tokenCount: tokens)
    }
}
