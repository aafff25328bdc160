/// A session's uploaded dataset as stored (without its bytes).
struct StoredDataset: Sendable, Equatable {
    /// The name given at upload.
    var name: String
    /// The description given at upload.
    var description: String
    /// Rows.
    var rows: Int
    /// Column names.
    var columns: [String]
}
