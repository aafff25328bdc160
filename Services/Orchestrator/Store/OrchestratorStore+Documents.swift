import Storage

extension OrchestratorStore {
    /// A page of the documents of `type`'s collection matching `filters` (see
    /// `Collection.condition`), in insertion order.
    func list<Document: StoredDocument & SizedDocument>(_ type: Document.Type, filters: [(String, String)],
                                                        page: PageRequest) async throws -> Page<Document> {
        guard let condition = Document.collection.condition(filters) else { return Page(documents: [], next: nil) }
        let sql = Queries.listPage(Document.collection, where: condition.sql, after: page.after != nil,
                                   bySeq: Document.collection.selectsBySeq(filters))
        // One row more than the page: whether there is a next page.
        let parameters = condition.parameters + (page.after.map { [.integer($0)] } ?? []) + [.integer(Int64(page.limit) + 1)]
        return try await read { [self] conn in
            var documents: [Document] = []
            var lists = ListColumnDecoder(conn, chunks: self.chunkLists)
            var bytes = 0
            var last: Int64 = 0
            var next: Int64?
            do {
                try conn.forEach(sql, parameters: parameters) { row in
                    if documents.count >= page.limit || bytes >= page.maxBytes {
                        next = last
                        throw PageFull()
                    }
                    let document = try Document(row: row, lists: &lists)
                    bytes += document.estimatedJSONBytes
                    last = try row.get(row.count - 1)
                    documents.append(document)
                }
            } catch is PageFull {}
            return Page(documents: documents, next: next)
        }
    }

    /// Ends reading a page's rows once it is full.
    private struct PageFull: Error {}

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
