import ServiceKit

/// Whether a path sent upstream reaches the service's own `/metrics` (ServiceKit serves it
/// on every service; through the proxy only operators may read it). ServiceKit's router
/// skips empty segments, so `//metrics/` is `/metrics`; to be safe the check also
/// resolves `.`/`..` segments, percent-decodes and ignores case, which no router of ours
/// does.
enum ServiceMetricsPath {
    /// `metrics`, the bytes looked for.
    private static let word = Array("metrics".utf8)

    /// A cheap screen on the proxy's hot path (one pass, no allocation): false when the
    /// path holds neither `metrics` in any case nor a percent sign, so it cannot match.
    @inline(__always)
    static func mayMatch(_ path: String) -> Bool {
        let word = ServiceMetricsPath.word
        var matched = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "%") { return true }
            let lower = byte | 0x20
            if lower == word[matched] {
                matched += 1
                if matched == word.count { return true }
            } else {
                matched = lower == word[0] ? 1 : 0
            }
        }
        return false
    }

    /// Whether `path`, its segments resolved, is the single segment `metrics`.
    static func matches(_ path: String) -> Bool {
        var segments: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: true) {
            let segment = FormCoding.percentDecode(raw).lowercased()
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        return segments == ["metrics"]
    }
}
