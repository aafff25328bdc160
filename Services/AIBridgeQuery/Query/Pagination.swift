import Contracts
import ServiceKit

/// coder's paging parameters, with its rules and texts: `limit` and `offset` are
/// non-negative 32-bit integers (`limit` absent or 0 means 100, above 1000 is refused), the
/// keyset cursor (`after_id`, a UUID, or `after_session_id`, any text) cannot be combined
/// with a non-zero `offset`. An empty value counts as absent.
public enum Pagination {
    /// The page size when none is given.
    public static let defaultLimit = 100
    /// The largest page.
    public static let maximumLimit = 1000

    /// The cursor parameter of a list.
    public enum Cursor: Sendable {
        /// `after_id`: an interception's UUID.
        case afterID
        /// `after_session_id`: a session id (any text).
        case afterSessionID
        /// No cursor (`/models`).
        case none

        var name: String? {
            switch self {
            case .afterID: "after_id"
            case .afterSessionID: "after_session_id"
            case .none: nil
            }
        }
    }

    /// The page `query` asks for, or coder's 400.
    public static func page(_ query: [(String, String)], cursor: Cursor) throws(ServiceError) -> PageRequest {
        func value(_ name: String) -> String? {
            guard let value = query.first(where: { $0.0 == name })?.1, !value.isEmpty else { return nil }
            return value
        }
        var validations: [(field: String, detail: String)] = []
        func integer(_ name: String) -> Int {
            guard let text = value(name) else { return 0 }
            switch parseInt32(text) {
            case .success(let number) where number >= 0: return Int(number)
            case .success: validations.append((name, "Query param \(AIBridgeQueryAPI.quoted(name)) must be a valid 32-bit positive integer: value is negative"))
            case .failure(let reason): validations.append((name, "Query param \(AIBridgeQueryAPI.quoted(name)) must be a valid 32-bit positive integer: \(reason.text)"))
            }
            return 0
        }
        var after: String?
        if let name = cursor.name, let text = value(name) {
            if case .afterID = cursor {
                if let uuid = UUIDText.canonical(text) { after = uuid } else {
                    validations.append((name, "Query param \(AIBridgeQueryAPI.quoted(name)) must be a valid uuid"))
                }
            } else {
                after = text
            }
        }
        let limit = integer("limit")
        let offset = integer("offset")
        if !validations.isEmpty { throw ServiceError(.badRequest, QueryErrorText.invalidParameters, validations: validations) }
        if limit > maximumLimit {
            throw ServiceError(.badRequest, QueryErrorText.invalidLimit, detail: "Pagination limit must be in range (0, \(maximumLimit)]")
        }
        if let name = cursor.name, after != nil, offset != 0 {
            throw ServiceError(.badRequest, QueryErrorText.invalidParameters,
                               detail: "Cannot use both \(name) and offset pagination in the same request.")
        }
        return PageRequest(limit: limit == 0 ? defaultLimit : limit, offset: offset, after: after)
    }

    /// Why a text is not an `Int32`, in Go's `strconv.ParseInt` words.
    struct ParseFailure: Error {
        /// `strconv.ParseInt: parsing "x": invalid syntax` or `…: value out of range`.
        var text: String
    }

    /// Go's `strconv.ParseInt(text, 10, 32)`.
    static func parseInt32(_ text: String) -> Result<Int32, ParseFailure> {
        if let number = Int32(text) { return .success(number) }
        var digits = Substring(text)
        if digits.first == "+" || digits.first == "-" { digits.removeFirst() }
        let reason = !digits.isEmpty && digits.allSatisfy({ $0.isASCII && $0.isNumber }) ? "value out of range" : "invalid syntax"
        return .failure(ParseFailure(text: "strconv.ParseInt: parsing \(AIBridgeQueryAPI.quoted(text)): \(reason)"))
    }
}
