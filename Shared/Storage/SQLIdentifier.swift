/// The names Storage puts into SQL text itself (PostgreSQL schemas, notification
/// channels): restricted so they never need quoting.
enum SQLIdentifier {
    /// Throws `.invalidConfiguration` unless `name` is 1–63 of `[a-z0-9_]`, not starting
    /// with a digit.
    static func validate(_ name: String, what: String) throws {
        let bytes = Array(name.utf8)
        let valid = !bytes.isEmpty && bytes.count <= 63 && !(bytes[0] >= 0x30 && bytes[0] <= 0x39)
            && bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
        if !valid {
            throw StorageError(kind: .invalidConfiguration,
                               message: "\(what) '\(name)' must be 1-63 of [a-z0-9_], not starting with a digit")
        }
    }
}
