/// An open-addressing hash table counting `(context hash, symbol)` pairs; much faster than
/// `Dictionary` for the many small increments of n-gram training.
struct NGramCountTable {
    private(set) var ctx: [UInt64]
    private(set) var sym: [UInt32]
    private(set) var cnt: [UInt32]
    private(set) var count = 0
    private var mask: Int

    init(capacity: Int) {
        var cap = 16
        while cap < capacity * 2 { cap <<= 1 }
        ctx = [UInt64](repeating: 0, count: cap)
        sym = [UInt32](repeating: 0, count: cap)
        cnt = [UInt32](repeating: 0, count: cap)
        mask = cap - 1
    }

    @inline(__always) static func slot(_ c: UInt64, _ w: UInt32, _ mask: Int) -> Int {
        var x = c ^ (UInt64(w) &* 0x9E37_79B9_7F4A_7C15)
        x ^= x >> 31
        x = x &* 0xBF58_476D_1CE4_E5B9
        x ^= x >> 29
        return Int(truncatingIfNeeded: x) & mask
    }

    /// Adds one to the pair's count and returns the count before.
    @inline(__always) mutating func increment(_ c: UInt64, _ w: UInt32) -> UInt32 {
        var i = NGramCountTable.slot(c, w, mask)
        while true {
            let n = cnt[i]
            if n == 0 {
                ctx[i] = c; sym[i] = w; cnt[i] = 1
                count += 1
                if count * 2 > mask { grow() }
                return 0
            }
            if ctx[i] == c && sym[i] == w {
                cnt[i] = n &+ 1
                return n
            }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let oc = ctx, os = sym, on = cnt
        let cap = (mask + 1) * 2
        ctx = [UInt64](repeating: 0, count: cap)
        sym = [UInt32](repeating: 0, count: cap)
        cnt = [UInt32](repeating: 0, count: cap)
        mask = cap - 1
        for j in 0..<on.count where on[j] != 0 {
            var i = NGramCountTable.slot(oc[j], os[j], mask)
            while cnt[i] != 0 { i = (i + 1) & mask }
            ctx[i] = oc[j]; sym[i] = os[j]; cnt[i] = on[j]
        }
    }

    /// All entries as `(context, symbol, count)`.
    func entries() -> [(UInt64, UInt32, UInt32)] {
        var out: [(UInt64, UInt32, UInt32)] = []
        out.reserveCapacity(count)
        for i in 0..<cnt.count where cnt[i] != 0 { out.append((ctx[i], sym[i], cnt[i])) }
        return out
    }
}
