/// Rough heap sizes of the values a personal model holds, for the memory budget of
/// `UserModelCache`: what the arrays and strings take, scaled by a measured allocator factor.
enum MemoryEstimate {
    /// A `String`: 16 bytes inline up to 15 UTF-8 bytes, else a heap object as well.
    static func string(_ text: String) -> Int {
        let count = text.utf8.count
        return count <= 15 ? 16 : 16 + 32 + count
    }

    /// An n-gram model: its vocabulary, every table's arrays and the spacing counts.
    static func model(_ model: NGramModel) -> Int {
        var total = model.vocab.reduce(0) { $0 + string($1) }
        for table in model.tables {
            total += table.ctxKeys.count * 8
            total += (table.ctxFirst.count + table.ctxTotal.count + table.succIds.count + table.succCounts.count
                      + table.topFirst.count + table.topIds.count) * 4
        }
        return total + model.spacing.counts.count * 64
    }

    /// A personal model: the per-file contributions kept for rebuilds, the n-gram model and
    /// the name indexes.
    static func userModel(_ user: UserModel) -> Int {
        var total = model(user.ngram)
        for (path, file) in user.files {
            total += string(path) + 96
            total += file.symbols.reduce(0) { $0 + string($1) }
            total += file.definitions.reduce(0) { $0 + string($1.name) + 32 }
        }
        // definitionCounts (a dictionary), definitionsByName (an array) share the names' storage.
        total += user.definitionCounts.count * (16 + 8) * 3
        total += user.moduleMembers.reduce(0) { $0 + 64 + $1.value.count * 16 }
        // Allocator overhead and collection slack, calibrated once: the model of a 12.5 MB
        // upload (834 standard-library files) summed to 63 MB and took 90 MB resident.
        return total * 7 / 5
    }
}
