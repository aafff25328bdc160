import Contracts

/// What `q` asks for, checked: coder's keys and value rules for one endpoint. The
/// initiator is kept as given (`me`, a user id or a user name) for the route to resolve.
public struct SearchFilters: Sendable, Equatable {
    /// `initiator:` as given.
    public var initiator: String?
    /// `provider:`.
    public var provider: String?
    /// `model:` (exact for lists, a prefix for `/models`).
    public var model: String?
    /// `client:`.
    public var client: String?
    /// `session_id:`.
    public var sessionID: String?
    /// `started_after:`.
    public var startedAfter: AIBridgeQueryAPI.Timestamp?
    /// `started_before:`.
    public var startedBefore: AIBridgeQueryAPI.Timestamp?

    /// The keys of each endpoint and what its bare term means.
    public enum Endpoint: Sendable {
        /// `/interceptions`: a bare term is the initiator.
        case interceptions
        /// `/sessions`: a bare term is refused (`no search key specified`).
        case sessions
        /// `/models`: a bare term is the model prefix.
        case models

        /// The keys `q` may use.
        var keys: [String] {
            switch self {
            case .interceptions: ["initiator", "provider", "model", "client", "started_after", "started_before"]
            case .sessions: ["initiator", "provider", "model", "client", "session_id", "started_after", "started_before"]
            case .models: ["model"]
            }
        }
    }

    /// No filter.
    public init() {}

    /// Parses and checks `query` for `endpoint`; throws every validation that fails.
    public init(parsing query: String, for endpoint: Endpoint) throws(SearchQueryError) {
        var terms: SearchTerms
        do throws(QueryValidationError) {
            terms = try SearchTerms(parsing: query)
        } catch {
            throw SearchQueryError(validations: [error])
        }
        if let bare = terms.bareTerm {
            switch endpoint {
            case .interceptions: terms.add("initiator", bare)
            case .models: terms.add("model", bare)
            case .sessions: throw SearchQueryError(validations: [QueryValidationError(field: "q", detail: "no search key specified")])
            }
        }
        var validations: [QueryValidationError] = []
        let keys = endpoint.keys
        func text(_ key: String) -> String? { keys.contains(key) ? terms.first(key) : nil }
        func date(_ key: String) -> AIBridgeQueryAPI.Timestamp? {
            guard let value = text(key) else { return nil }
            do throws(AIBridgeQueryAPI.Timestamp.ParseError) {
                return try AIBridgeQueryAPI.Timestamp.parse(value.uppercased())
            } catch {
                validations.append(QueryValidationError(
                    field: key,
                    detail: "Query param \(AIBridgeQueryAPI.quoted(key)) must be a valid date format (\(AIBridgeQueryAPI.Timestamp.layout)): \(error.message)"))
                return nil
            }
        }
        initiator = text("initiator")
        provider = text("provider")
        model = text("model")
        client = text("client")
        sessionID = text("session_id")
        startedAfter = date("started_after")
        startedBefore = date("started_before")
        if let after = startedAfter, let before = startedBefore, before <= after {
            validations.append(QueryValidationError(
                field: "started_before",
                detail: "Query param \"started_before\" has invalid value: \"started_before\" must be after \"started_after\" if set"))
        }
        validations += terms.unknownKeys(known: keys)
        if !validations.isEmpty { throw SearchQueryError(validations: validations) }
    }

    /// The validation of an initiator that names no user the caller may see.
    public static func unknownInitiator(_ value: String) -> QueryValidationError {
        QueryValidationError(
            field: "initiator",
            detail: "Query param \"initiator\" has invalid value: user \(AIBridgeQueryAPI.quoted(value)) either does not exist, or you are unauthorized to view them")
    }
}
