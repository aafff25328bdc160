/// The frozen statistics of one n-gram order: contexts (by hash, sorted) with their
/// successors (sorted by symbol id) and each context's most frequent successors.
public struct NGramTable: Sendable, Equatable {
    /// Context hashes, ascending.
    public var ctxKeys: [UInt64] = []
    /// `ctxFirst[i]..<ctxFirst[i+1]` is context `i`'s range in `succIds`/`succCounts`.
    public var ctxFirst: [UInt32] = [0]
    /// Sum of successor counts per context.
    public var ctxTotal: [UInt32] = []
    /// Successor symbol ids, ascending within each context.
    public var succIds: [UInt32] = []
    /// Successor counts (raw at the highest order, continuation counts below).
    public var succCounts: [UInt32] = []
    /// `topFirst[i]..<topFirst[i+1]` is context `i`'s range in `topIds`.
    public var topFirst: [UInt32] = [0]
    /// Most frequent successors per context, best first.
    public var topIds: [UInt32] = []
    /// Absolute discount of this order.
    public var discount: Double = 0.75

    /// Creates an empty table.
    public init() {}

    /// Index of the context with hash `key`, if present.
    @inline(__always) public func find(_ key: UInt64) -> Int? {
        var lo = 0, hi = ctxKeys.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if ctxKeys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo < ctxKeys.count && ctxKeys[lo] == key ? lo : nil
    }

    /// Count of successor `w` after context `ci`.
    @inline(__always) public func count(_ ci: Int, _ w: UInt32) -> UInt32 {
        var lo = Int(ctxFirst[ci]), hi = Int(ctxFirst[ci + 1])
        while lo < hi {
            let mid = (lo + hi) >> 1
            if succIds[mid] < w { lo = mid + 1 } else { hi = mid }
        }
        return lo < Int(ctxFirst[ci + 1]) && succIds[lo] == w ? succCounts[lo] : 0
    }

    /// Successor indices of context `ci` whose ids lie in `ids` (a contiguous id range).
    public func successors(_ ci: Int, in ids: Range<UInt32>) -> Range<Int> {
        let s = Int(ctxFirst[ci]), e = Int(ctxFirst[ci + 1])
        func lower(_ v: UInt32) -> Int {
            var lo = s, hi = e
            while lo < hi {
                let mid = (lo + hi) >> 1
                if succIds[mid] < v { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        return lower(ids.lowerBound)..<lower(ids.upperBound)
    }

    /// Number of distinct successors of context `ci`.
    @inline(__always) public func distinct(_ ci: Int) -> Int { Int(ctxFirst[ci + 1] - ctxFirst[ci]) }
}
