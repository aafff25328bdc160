import Foundation
import JSON

/// Reads items out of a model's answer: code fences stripped, then the JSON array between
/// the first `[` and the last `]` (or an object holding one under `items`/`data`/`examples`,
/// or a single object), each object's `instruction`, `input`, `output` strings taken
/// (numbers as text; a missing input is empty). Anything else yields no items.
enum SFTItemParser {
    /// The items in `answer`.
    static func items(in answer: String) -> [SFTItem] {
        let text = answer.replacingOccurrences(of: "```json", with: "").replacingOccurrences(of: "```", with: "")
        var candidates: [String] = []
        if let open = text.firstIndex(of: "["), let close = text.lastIndex(of: "]"), open < close {
            candidates.append(String(text[open...close]))
        }
        if let open = text.firstIndex(of: "{"), let close = text.lastIndex(of: "}"), open < close {
            candidates.append(String(text[open...close]))
        }
        for candidate in candidates {
            guard let value = try? JSONParser().parse(candidate) else { continue }
            let found = items(in: value)
            if !found.isEmpty { return found }
        }
        return []
    }

    private static func items(in value: JSONValue) -> [SFTItem] {
        switch value {
        case .array(let elements): return elements.compactMap(item)
        case .object(let object):
            for key in ["items", "data", "examples"] { if case .array(let elements)? = object[key] { return elements.compactMap(item) } }
            return item(value).map { [$0] } ?? []
        default: return []
        }
    }

    private static func item(_ value: JSONValue) -> SFTItem? {
        guard case .object(let object) = value,
              let instruction = text(object["instruction"]), let output = text(object["output"]) else { return nil }
        return SFTItem(instruction: instruction.trimmingCharacters(in: .whitespacesAndNewlines),
                       input: (text(object["input"]) ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                       output: output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: text
        case .int(let number)?: String(number)
        case .double(let number)?: String(number)
        default: nil
        }
    }
}
