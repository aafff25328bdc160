import Crypto

/// Task ids: `<slug of the name>-<8 random hex digits>` (the directory's name, the export's
/// file name), checked wherever one arrives from a client.
enum TaskID {
    /// A new id for a task called `name`.
    static func make(name: String) -> String {
        let slug = String(Slug.make(name).prefix(40))
        return (slug.isEmpty ? "task" : slug) + "-" + Hex.encode(SecureRandom.bytes(4))
    }

    /// Whether `text` can be a task id: 1–128 of `[A-Za-z0-9._-]`, starting with a letter or digit.
    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, bytes.count <= 128, isAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7a)
    }
}
