/// The similarity of two texts: Python's `difflib.SequenceMatcher(None, a, b).ratio()`
/// exactly, over Unicode scalars (Python's characters): Ratcliff/Obershelp matching
/// (the longest common block, earliest in `a` then in `b`, then recursively left and right
/// of it), `2·M / (len(a) + len(b))` with `M` the matched characters, and difflib's
/// "autojunk" rule (when `b` has 200 or more characters, those occurring more than
/// `len(b)/100 + 1` times never start or extend a match).
enum SimilarityRatio {
    /// The ratio, 0…1 (1 for two empty texts).
    static func ratio(_ first: String, _ second: String) -> Double {
        let a = Array(first.unicodeScalars), b = Array(second.unicodeScalars)
        let total = a.count + b.count
        if total == 0 { return 1 }
        return 2 * Double(matchingCharacters(a, b)) / Double(total)
    }

    /// The characters of every matching block.
    static func matchingCharacters(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        var positions: [Unicode.Scalar: [Int]] = [:]
        for (index, scalar) in b.enumerated() { positions[scalar, default: []].append(index) }
        if b.count >= 200 {
            let popular = b.count / 100 + 1
            positions = positions.filter { $0.value.count <= popular }
        }
        var matched = 0
        var queue = [(0, a.count, 0, b.count)]
        while let (aLow, aHigh, bLow, bHigh) = queue.popLast() {
            let (i, j, size) = longestMatch(a, b, aLow, aHigh, bLow, bHigh, positions)
            guard size > 0 else { continue }
            matched += size
            if aLow < i && bLow < j { queue.append((aLow, i, bLow, j)) }
            if i + size < aHigh && j + size < bHigh { queue.append((i + size, aHigh, j + size, bHigh)) }
        }
        return matched
    }

    /// difflib's `find_longest_match` without junk: the longest block `a[i..<i+size] ==
    /// b[j..<j+size]` inside the bounds among those starting at an indexed element, the
    /// earliest in `a`, then in `b`, then extended by equal elements on both sides.
    static func longestMatch(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], _ aLow: Int, _ aHigh: Int, _ bLow: Int, _ bHigh: Int,
                             _ positions: [Unicode.Scalar: [Int]]) -> (Int, Int, Int) {
        var bestI = aLow, bestJ = bLow, bestSize = 0
        var lengths: [Int: Int] = [:]
        for i in aLow..<aHigh {
            var next: [Int: Int] = [:]
            for j in positions[a[i]] ?? [] {
                if j < bLow { continue }
                if j >= bHigh { break }
                let length = (lengths[j - 1] ?? 0) + 1
                next[j] = length
                if length > bestSize { (bestI, bestJ, bestSize) = (i - length + 1, j - length + 1, length) }
            }
            lengths = next
        }
        // difflib then extends the block by equal elements on both sides (popular ones
        // included: autojunk keeps them out of the index, not out of a match).
        while bestI > aLow && bestJ > bLow && a[bestI - 1] == b[bestJ - 1] {
            (bestI, bestJ, bestSize) = (bestI - 1, bestJ - 1, bestSize + 1)
        }
        while bestI + bestSize < aHigh && bestJ + bestSize < bHigh && a[bestI + bestSize] == b[bestJ + bestSize] { bestSize += 1 }
        return (bestI, bestJ, bestSize)
    }
}
