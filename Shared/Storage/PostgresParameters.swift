/// Parameters of one `PQexecPrepared` call, typed by their `SQLValue`: integers as `int8`,
/// reals as `float8` and blobs as `bytea`, all three sent in binary; text and `NULL` with an
/// unspecified type (the server infers it from the statement, so text can feed any column
/// type whose input accepts it: `text`, `timestamptz`, `jsonb`, ...), text sent as text.
///
/// Owns the C buffers it hands to libpq; `deallocate()` frees them.
struct PostgresParameters {
    /// The parameters' type OIDs (0: inferred by the server), for `PQprepare`.
    let types: [UInt32]
    /// One character per parameter (`i`, `r`, `t`, `b`, `n`): part of the prepared-statement
    /// cache key, since a statement is prepared with fixed parameter types.
    let signature: String
    /// Pointers to each value (`nil` for `NULL`).
    let values: [UnsafePointer<CChar>?]
    /// Byte lengths (binary values only).
    let lengths: [Int32]
    /// 1 for binary, 0 for text.
    let formats: [Int32]
    private let buffers: [UnsafeMutableRawBufferPointer]

    static let int8OID: UInt32 = 20
    static let float8OID: UInt32 = 701
    static let byteaOID: UInt32 = 17

    /// Encodes `parameters`; throws `.invalidStatement` for text holding U+0000, which
    /// PostgreSQL's text types cannot store.
    init(_ parameters: [any SQLBindable], sql: String) throws {
        var types: [UInt32] = [], values: [UnsafePointer<CChar>?] = [], lengths: [Int32] = [], formats: [Int32] = []
        var signature = ""
        var buffers: [UnsafeMutableRawBufferPointer] = []
        func store(_ bytes: some Collection<UInt8>, terminated: Bool) -> UnsafePointer<CChar> {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count + (terminated ? 1 : 0), alignment: 1)
            buffer.copyBytes(from: bytes)
            if terminated { buffer[bytes.count] = 0 }
            buffers.append(buffer)
            return UnsafePointer(buffer.baseAddress!.assumingMemoryBound(to: CChar.self))
        }
        for parameter in parameters {
            switch parameter.sqlValue {
            case .null:
                types.append(0); values.append(nil); lengths.append(0); formats.append(0); signature += "n"
            case .integer(let integer):
                let pointer = withUnsafeBytes(of: integer.bigEndian) { store($0, terminated: false) }
                types.append(Self.int8OID); values.append(pointer); lengths.append(8); formats.append(1); signature += "i"
            case .real(let real):
                let pointer = withUnsafeBytes(of: real.bitPattern.bigEndian) { store($0, terminated: false) }
                types.append(Self.float8OID); values.append(pointer); lengths.append(8); formats.append(1); signature += "r"
            case .text(let text):
                if text.utf8.contains(0) {
                    for buffer in buffers { buffer.deallocate() }
                    throw StorageError(kind: .invalidStatement,
                                       message: "text parameter holds U+0000, which PostgreSQL cannot store in text", sql: sql)
                }
                types.append(0); values.append(store(text.utf8, terminated: true)); lengths.append(0); formats.append(0)
                signature += "t"
            case .blob(let bytes):
                let pointer = store(bytes.isEmpty ? [0] : bytes, terminated: false)
                types.append(Self.byteaOID); values.append(pointer); lengths.append(Int32(bytes.count)); formats.append(1)
                signature += "b"
            }
        }
        self.types = types
        self.signature = signature
        self.values = values
        self.lengths = lengths
        self.formats = formats
        self.buffers = buffers
    }

    /// Frees the value buffers.
    func deallocate() {
        for buffer in buffers { buffer.deallocate() }
    }
}
