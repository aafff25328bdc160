/// A coding path as a chain of nodes: a nested value adds one node instead of copying
/// the whole `[CodingKey]` array, which is built only when asked for (errors, `codingPath`).
final class JSONCodingPath: Sendable {
    let parent: JSONCodingPath?
    let key: (any CodingKey)?

    /// The root (empty path).
    static let root = JSONCodingPath(parent: nil, key: nil)

    init(parent: JSONCodingPath?, key: (any CodingKey)?) {
        self.parent = parent
        self.key = key
    }

    /// This path with `key` appended.
    func appending(_ key: any CodingKey) -> JSONCodingPath { JSONCodingPath(parent: self, key: key) }

    /// The keys from the root down.
    var keys: [any CodingKey] {
        var out: [any CodingKey] = []
        var node: JSONCodingPath? = self
        while let n = node {
            if let k = n.key { out.append(k) }
            node = n.parent
        }
        return out.reversed()
    }

    /// The keys from the root down, then `key` if given.
    func keys(then key: (any CodingKey)?) -> [any CodingKey] {
        guard let key else { return keys }
        return keys + [key]
    }
}
