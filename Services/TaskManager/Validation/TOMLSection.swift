/// The keys of one task.toml table: each with its type, whether Harbor requires it, and
/// the name that replaces it when it is deprecated.
struct TOMLSection: Sendable {
    /// One key.
    struct Field: Sendable {
        /// Its type.
        var type: TOMLFieldType
        /// Harbor refuses the table without it.
        var required = false
        /// Deprecated in favour of this (a warning).
        var replacement: String? = nil
    }

    /// The keys, in Harbor's order.
    var fields: [(key: String, field: Field)]

    /// The field for `key`.
    subscript(key: String) -> Field? { fields.first { $0.key == key }?.field }
}
