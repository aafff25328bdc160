import Contracts
import HTTPCore
import ServiceKit

/// The query API (seed 002), every route registered here: `GET /api/v2/aibridge/
/// interceptions`, `/sessions`, `/models` (one file each; the OpenAPI document is served by the
/// service definition, `AIBridgeOpenAPI`). Each handler reads the caller from the gateway's identity, parses paging and
/// `q` with coder's rules and texts, and answers the store's contract values.
struct QueryRoutes: Sendable {
    /// What the bridge recorded.
    let store: AIBridgeStore

    /// Where coder mounts the API (kept as is at the gateway).
    static let prefix = "/api/v2/aibridge"
    /// Roles that see every user's interceptions; everyone else sees their own.
    static let readAllRoles = ["admin", "auditor"]

    /// Registers every query route.
    func register(on router: Router) {
        router.get(Self.prefix + "/interceptions") { try await self.interceptions($0) }
        router.get(Self.prefix + "/sessions") { try await self.sessions($0) }
        router.get(Self.prefix + "/models") { try await self.models($0) }
    }

    /// The caller (401 without one) and, unless they may read everything, their id: the
    /// only initiator they see.
    static func caller(_ request: Request) throws -> (identity: Identity, visibleInitiator: String?) {
        let identity = try request.require()
        return (identity, identity.hasAny(readAllRoles) ? nil : identity.userID)
    }

    /// The value of `q` (empty when absent).
    static func searchText(_ request: Request) -> String {
        request.query("q") ?? ""
    }

    /// `initiator:` as a user id: `me` is the caller, a UUID is taken as is, otherwise a
    /// user name (or id) the service has seen; 400 with coder's text for anything else, and
    /// for another user's name or id when the caller sees only their own rows.
    func initiatorID(_ term: String?, caller: Identity, seesAll: Bool, message: String) async throws -> String? {
        guard let term else { return nil }
        if term == "me" { return caller.userID }
        if let uuid = UUIDText.canonical(term) { return uuid }
        if term == caller.name || term == caller.userID { return caller.userID }
        if seesAll {
            if let id = try await store.userID(named: term) { return id }
            if try await store.isKnownUser(id: term) { return term }
        }
        let validation = SearchFilters.unknownInitiator(term)
        throw ServiceError(.badRequest, message, validations: [(validation.field, validation.detail)])
    }

    /// The filter of a checked `q` and the caller's visibility.
    func filter(_ search: SearchFilters, caller: (identity: Identity, visibleInitiator: String?), message: String) async throws -> InterceptionFilter {
        InterceptionFilter(
            visibleInitiator: caller.visibleInitiator,
            initiator: try await initiatorID(search.initiator, caller: caller.identity, seesAll: caller.visibleInitiator == nil, message: message),
            provider: search.provider, model: search.model, client: search.client, sessionID: search.sessionID,
            startedAfter: search.startedAfter, startedBefore: search.startedBefore)
    }

    /// `q` checked for `endpoint`, or 400 with `message` and the validations.
    static func search(_ request: Request, for endpoint: SearchFilters.Endpoint, message: String) throws -> SearchFilters {
        do throws(SearchQueryError) {
            return try SearchFilters(parsing: searchText(request), for: endpoint)
        } catch {
            throw ServiceError(.badRequest, message, validations: error.validations.map { ($0.field, $0.detail) })
        }
    }
}
