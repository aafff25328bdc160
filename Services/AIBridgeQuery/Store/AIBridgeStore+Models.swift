import Storage

extension AIBridgeStore {
    /// Distinct models of the ended interceptions the caller can see (`visibleInitiator`:
    /// only theirs), those starting with `prefix` (case-sensitive), ascending, paged.
    public func models(prefix: String?, visibleInitiator: String?, limit: Int, offset: Int) async throws -> [String] {
        try await read { conn in
            var sql = ""
            var parameters: [any SQLBindable] = []
            if let visibleInitiator {
                sql += Queries.modelsOfInitiator
                parameters.append(visibleInitiator)
            }
            if let prefix, !prefix.isEmpty {
                sql += Queries.modelPrefix
                parameters += [prefix, prefix, prefix]
            }
            return try conn.query(Queries.models(sql), parameters: parameters + [limit, offset]).map { try $0.get(0, as: String.self) }
        }
    }
}
