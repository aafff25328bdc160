/// Accumulates symbol sequences and builds a frozen `NGramModel` (interpolated Kneser-Ney:
/// raw counts at the highest order, continuation counts below).
public struct NGramTrainer: Sendable {
    /// The model order.
    public let order: Int
    /// Successors kept per context for candidate generation.
    public var topPerContext: Int = 12
    private var ids: [String: UInt32] = [:]
    private var strings: [String] = []
    private var sequences: [[UInt32]] = []
    /// Spacing observations gathered from sources.
    public var spacing = SpacingModel()

    /// Creates a trainer.
    public init(order: Int = 4) {
        self.order = max(1, min(order, 8))
        _ = intern(TokenNormalizer.bos)
    }

    private mutating func intern(_ s: String) -> UInt32 {
        if let i = ids[s] { return i }
        let i = UInt32(strings.count)
        ids[s] = i
        strings.append(s)
        return i
    }

    /// Adds one sequence of symbols (one file).
    public mutating func add(symbols: [String]) {
        guard !symbols.isEmpty else { return }
        sequences.append(symbols.map { intern($0) })
    }

    /// Tokenizes `source` and adds its symbols; learns spacing when `learnSpacing`.
    public mutating func add(source: String, learnSpacing: Bool = true) {
        let bytes = Array(source.utf8)
        let toks = PythonTokenizer().tokenize(bytes: bytes)
        if learnSpacing { spacing.observe(tokens: toks, source: bytes) }
        add(symbols: toks.compactMap { TokenNormalizer.symbol($0, in: bytes) })
    }

    /// Builds the frozen model.
    public func build() -> NGramModel {
        // Sorted vocabulary.
        let order = self.order
        let perm = strings.indices.sorted { NGramModel.less(strings[$0], strings[$1]) }
        var remap = [UInt32](repeating: 0, count: strings.count)
        for (newId, old) in perm.enumerated() { remap[old] = UInt32(newId) }
        let vocab = perm.map { strings[$0] }
        let bos = remap[0]

        let totalTokens = sequences.reduce(0) { $0 + $1.count }
        var counts = (0..<order).map { NGramCountTable(capacity: $0 == 0 ? strings.count : min(totalTokens, 1 << 22)) }
        var total = 0
        var hashes = [UInt64](repeating: 0, count: order)
        for seq in sequences {
            let padded = [UInt32](repeating: bos, count: order - 1) + seq.map { remap[Int($0)] }
            total += seq.count
            for i in (order - 1)..<padded.count {
                hashes[0] = NGramModel.hashSeed
                var k = 1
                while k < order {
                    hashes[k] = NGramModel.mix(hashes[k - 1], padded[i - k])
                    k += 1
                }
                let w = padded[i]
                var level = order - 1
                while level >= 0 {
                    if counts[level].increment(hashes[level], w) != 0 { break }
                    level -= 1
                }
            }
        }

        var tables: [NGramTable] = []
        for level in 0..<order {
            var entries = counts[level].entries()
            counts[level] = NGramCountTable(capacity: 1)
            entries.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            var t = NGramTable()
            t.ctxKeys.reserveCapacity(entries.count / 2)
            t.succIds.reserveCapacity(entries.count)
            t.succCounts.reserveCapacity(entries.count)
            var n1 = 0.0, n2 = 0.0
            var i = 0
            while i < entries.count {
                let key = entries[i].0
                var j = i
                var sum: UInt32 = 0
                while j < entries.count && entries[j].0 == key {
                    t.succIds.append(entries[j].1)
                    t.succCounts.append(entries[j].2)
                    sum &+= entries[j].2
                    if entries[j].2 == 1 { n1 += 1 } else if entries[j].2 == 2 { n2 += 1 }
                    j += 1
                }
                t.ctxKeys.append(key)
                t.ctxTotal.append(sum)
                t.ctxFirst.append(UInt32(t.succIds.count))
                // Top successors by count (ties by id for determinism).
                let slice = entries[i..<j]
                if slice.count <= topPerContext {
                    t.topIds.append(contentsOf: slice.sorted { $0.2 != $1.2 ? $0.2 > $1.2 : $0.1 < $1.1 }.map { $0.1 })
                } else {
                    var best = Array(slice.prefix(topPerContext)).sorted { $0.2 != $1.2 ? $0.2 > $1.2 : $0.1 < $1.1 }
                    for e in slice.dropFirst(topPerContext) where e.2 > best[best.count - 1].2 {
                        best[best.count - 1] = e
                        var m = best.count - 1
                        while m > 0 && best[m].2 > best[m - 1].2 { best.swapAt(m, m - 1); m -= 1 }
                    }
                    t.topIds.append(contentsOf: best.map { $0.1 })
                }
                t.topFirst.append(UInt32(t.topIds.count))
                i = j
            }
            let d = n1 + 2 * n2 > 0 ? n1 / (n1 + 2 * n2) : 0.75
            t.discount = min(max(d, 0.3), 0.95)
            tables.append(t)
        }
        return NGramModel(order: order, vocab: vocab, tables: tables, spacing: spacing, tokenCount: total)
    }
}
