/// Lowercase ASCII slugs of names: letters and digits kept, every other run of characters
/// one `-`, none at either end (`Fix #42: Crash!` → `fix-42-crash`).
enum Slug {
    /// The slug of `text` (may be empty).
    static func make(_ text: String) -> String {
        var slug = ""
        var pendingDash = false
        for byte in text.lowercased().utf8 {
            if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7a) {
                if pendingDash && !slug.isEmpty { slug.append("-") }
                pendingDash = false
                slug.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                pendingDash = true
            }
        }
        return slug
    }
}
