import Storage

extension OrchestratorStore {
    /// The documents of `type`'s collection matching `filters` (see `Collection.condition`),
    /// in insertion order.
    func list<Document: StoredDocument>(_ type: Document.Type, filters: [(String, String)]) async throws -> [Document] {
        guard let condition = Document.collection.condition(filters) else { return [] }
        let sql = Queries.listDocuments(Document.collection, where: condition.sql, bySeq: Document.collection.selectsBySeq(filters))
        let parameters = condition.parameters
        return try await read { [self] conn in
            var documents: [Document] = []
            var lists = ListColumnDecoder(conn, chunks: self.chunkLists)
            try conn.forEach(sql, parameters: parameters) { row in
                documents.append(try Document(row: row, lists: &lists))
            }
            return documents
        }
    }

    /// One document, or nil.
    func document<Document: StoredDocument>(_ type: Document.Type, uuid: String) async throws -> Document? {
        try await read { [self] conn in try Self.document(conn, type, uuid: uuid, chunks: self.chunkLists) }
    }

    /// One document read inside a transaction, or nil. `chunks` only for read transactions
    /// (a write transaction may see chunks that are rolled back).
    static func document<Document: StoredDocument>(_ conn: any SQLConnection, _ type: Document.Type, uuid: String,
                                                   chunks: ChunkListCache? = nil) throws -> Document? {
        guard let row = try conn.queryOne(Queries.documentByUUID[Document.collection]!, uuid) else { return nil }
        var lists = ListColumnDecoder(conn, chunks: chunks)
        return try Document(row: row, lists: &lists)
    }
}
