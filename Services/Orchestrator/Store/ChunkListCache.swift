import Synchronization

/// The train data ids of the learnuplet chunks read so far, by chunk id.
///
/// A chunk is only ever inserted, never changed or deleted, so a committed chunk's list
/// stands for good once read: list reads take it from here instead of parsing the stored
/// text again (the learnuplets of one algo each have a chunk of their own, so a list of
/// them would otherwise parse one chunk per row, on every request). Filled only from read
/// transactions, which see committed chunks alone (a chunk written by a transaction that
/// rolls back may have its id reused on SQLite). Safe with replicas on PostgreSQL: another
/// replica's chunks are inserted the same way, and identity ids are never reused, so an id
/// once read names the same ids in every process. Bounded: emptied when it would hold more
/// than `capacity` ids in all.
final class ChunkListCache: Sendable {
    private struct Lists {
        var byChunk: [Int64: [String]] = [:]
        var ids = 0
    }

    private let lists = Mutex(Lists())
    /// The most ids held at once.
    let capacity: Int

    /// An empty cache of at most `capacity` ids.
    init(capacity: Int = 131_072) {
        self.capacity = capacity
    }

    /// The ids of chunk `id`, if read before.
    func list(_ id: Int64) -> [String]? {
        lists.withLock { $0.byChunk[id] }
    }

    /// Keeps the ids of chunk `id` (as read by a read transaction).
    func insert(_ list: [String], for id: Int64) {
        guard list.count <= capacity else { return }
        lists.withLock { lists in
            if lists.ids + list.count > capacity {
                lists.byChunk.removeAll(keepingCapacity: true)
                lists.ids = 0
            }
            if lists.byChunk.updateValue(list, forKey: id) == nil { lists.ids += list.count }
        }
    }

    /// The number of chunks held.
    var count: Int { lists.withLock { $0.byChunk.count } }
}
