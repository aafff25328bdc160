/// A piece of code as the fix loop sees it: a marked block (its start and end marker lines
/// kept verbatim) or text outside markers (`name` nil).
struct CodeSegment: Sendable, Equatable {
    /// The block's name, nil outside markers.
    var name: String?
    /// `# <name> code start`, verbatim.
    var startMarker: String?
    /// The code between the markers (or the outside text).
    var body: String
    /// `# <name> code end`, verbatim (nil when the block was never closed).
    var endMarker: String?

    /// The segment as text again.
    var text: String {
        ([startMarker, body, endMarker].compactMap { $0 }).joined(separator: "\n")
    }

    /// The segment with another body, markers kept.
    func replacing(body newBody: String) -> CodeSegment {
        var copy = self
        copy.body = newBody
        return copy
    }
}
