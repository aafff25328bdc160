import Contracts

/// coder's search grammar for `q`: space-separated `key:value` elements, spaces and
/// colons inside `"…"` kept, quotes then dropped; keys lower-cased, values kept; a key
/// given twice keeps its first value; elements without a key join (with spaces) into one
/// bare term, which each endpoint maps to a key or refuses.
///
/// `started_after:"2026-01-01T00:00:00Z"` must be quoted: an element with more than one
/// colon outside quotes is an error, as is one starting or ending with a colon.
public struct SearchTerms: Sendable, Equatable {
    /// Each key's values, in the order given.
    public private(set) var values: [String: [String]] = [:]
    /// The keys, in the order first given.
    public private(set) var keys: [String] = []
    /// The elements without a key, joined with spaces (nil when there were none).
    public private(set) var bareTerm: String?

    /// Splits `query`; throws the one validation coder reports (field `q`).
    public init(parsing query: String) throws(QueryValidationError) {
        var bare: [String] = []
        for element in Self.split(query, separator: " ", keepingQuotes: true) {
            if element.hasPrefix(":") || element.hasSuffix(":") {
                throw QueryValidationError(field: "q", detail: "Query element \(AIBridgeQueryAPI.quoted(element)) cannot start or end with ':'")
            }
            let parts = Self.split(element, separator: ":", keepingQuotes: false)
            switch parts.count {
            case 1: bare.append(parts[0])
            case 2: add(parts[0].lowercased(), parts[1])
            default:
                throw QueryValidationError(field: "q", detail: "Query element \(AIBridgeQueryAPI.quoted(element)) can only contain 1 ':'")
            }
        }
        if !bare.isEmpty { bareTerm = bare.joined(separator: " ") }
    }

    /// Adds a value under `key` (after the ones given).
    public mutating func add(_ key: String, _ value: String) {
        if values[key] == nil { keys.append(key) }
        values[key, default: []].append(value)
    }

    /// The first value of `key`, nil when absent or empty (an empty value filters nothing).
    public func first(_ key: String) -> String? {
        guard let value = values[key]?.first, !value.isEmpty else { return nil }
        return value
    }

    /// One validation per key not in `known`, in the order given.
    public func unknownKeys(known: [String]) -> [QueryValidationError] {
        keys.filter { !known.contains($0) }.map {
            QueryValidationError(field: $0, detail: "Query param \(AIBridgeQueryAPI.quoted($0)) is not a valid query param")
        }
    }

    /// Go's `strings.FieldsFunc` on `separator` outside double quotes (empty fields
    /// dropped); without `keepingQuotes`, each field's leading and trailing quotes trimmed.
    static func split(_ text: String, separator: Unicode.Scalar, keepingQuotes: Bool) -> [String] {
        var fields: [String] = []
        var current = String.UnicodeScalarView()
        var quoted = false
        for scalar in text.unicodeScalars {
            if scalar == "\"" { quoted.toggle() }
            if !quoted && scalar == separator {
                if !current.isEmpty { fields.append(String(current)) }
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { fields.append(String(current)) }
        if keepingQuotes { return fields }
        return fields.map { field in
            var trimmed = Substring(field).unicodeScalars
            while trimmed.first == "\"" { trimmed.removeFirst() }
            while trimmed.last == "\"" { trimmed.removeLast() }
            return String(trimmed)
        }
    }
}
