import Foundation

/// UUIDs as coder writes them.
enum UUIDText {
    /// The lowercase canonical form of `text` when it is a UUID (Go's `uuid.Parse` also
    /// takes braces and the `urn:uuid:` prefix; the 36-character form is what clients send).
    static func canonical(_ text: String) -> String? {
        UUID(uuidString: text)?.uuidString.lowercased()
    }
}
