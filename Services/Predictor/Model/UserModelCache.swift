/// The personal models held in memory: least recently used first out once their estimated
/// size (`UserModel.estimatedBytes`) passes `budget` (`USER_MODEL_CACHE_BYTES`). An evicted
/// model is loaded again from its file when its user next needs it. The model used last is
/// never evicted, so a single model larger than the budget still serves its user.
struct UserModelCache {
    /// One held model.
    private struct Entry {
        var model: UserModel
        var bytes: Int
        var lastUse: UInt64
    }

    /// Bytes the held models may take together.
    let budget: Int
    private var entries: [String: Entry] = [:]
    private var clock: UInt64 = 0
    /// The held models' estimated bytes.
    private(set) var totalBytes = 0

    /// An empty cache.
    init(budget: Int) { self.budget = budget }

    /// Held models.
    var count: Int { entries.count }

    /// Whether `user`'s model is held.
    func contains(_ user: String) -> Bool { entries[user] != nil }

    /// The user's model, marked as used now.
    mutating func use(_ user: String) -> UserModel? {
        guard entries[user] != nil else { return nil }
        clock &+= 1
        entries[user]?.lastUse = clock
        return entries[user]?.model
    }

    /// Drops the user's model (another replica saved a newer one).
    mutating func remove(_ user: String) {
        if let old = entries.removeValue(forKey: user) { totalBytes -= old.bytes }
    }

    /// Holds `model` for `user` (replacing an older one), then evicts the least recently
    /// used others while over budget; returns how many were evicted.
    mutating func insert(_ model: UserModel, bytes: Int, for user: String) -> Int {
        clock &+= 1
        if let old = entries.updateValue(Entry(model: model, bytes: bytes, lastUse: clock), forKey: user) { totalBytes -= old.bytes }
        totalBytes += bytes
        var evicted = 0
        while totalBytes > budget, entries.count > 1 {
            guard let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }), oldest.key != user else { break }
            totalBytes -= oldest.value.bytes
            entries[oldest.key] = nil
            evicted += 1
        }
        return evicted
    }
}
