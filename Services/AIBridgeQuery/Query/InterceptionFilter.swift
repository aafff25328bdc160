import Contracts

/// Which ended interceptions a query is about: the `q` filters and who may see what.
/// Every condition holds at once; nil means no condition.
public struct InterceptionFilter: Sendable, Equatable {
    /// The caller's own id when the caller sees only their own rows (not admin or auditor).
    public var visibleInitiator: String?
    /// `initiator:` resolved to a user id.
    public var initiator: String?
    /// `provider:` (exact).
    public var provider: String?
    /// `model:` (exact).
    public var model: String?
    /// `client:` (exact; `Unknown` also matches interceptions without a client).
    public var client: String?
    /// `session_id:` (exact; sessions only).
    public var sessionID: String?
    /// `started_after:` (inclusive).
    public var startedAfter: AIBridgeQueryAPI.Timestamp?
    /// `started_before:` (inclusive).
    public var startedBefore: AIBridgeQueryAPI.Timestamp?

    /// A filter.
    public init(visibleInitiator: String? = nil, initiator: String? = nil, provider: String? = nil, model: String? = nil,
                client: String? = nil, sessionID: String? = nil, startedAfter: AIBridgeQueryAPI.Timestamp? = nil,
                startedBefore: AIBridgeQueryAPI.Timestamp? = nil) {
        self.visibleInitiator = visibleInitiator
        self.initiator = initiator
        self.provider = provider
        self.model = model
        self.client = client
        self.sessionID = sessionID
        self.startedAfter = startedAfter
        self.startedBefore = startedBefore
    }

    /// True when only the group keys of a session are filtered (initiator, visibility,
    /// session id): the kept session rows answer such a query exactly.
    var filtersOnlySessionKeys: Bool {
        provider == nil && model == nil && client == nil && startedAfter == nil && startedBefore == nil
    }

    /// True when nothing but initiators (and visibility) is filtered.
    var filtersOnlyInitiators: Bool { filtersOnlySessionKeys && sessionID == nil }

    /// True when no date bound is set: the tallies count such a query.
    var hasNoDates: Bool { startedAfter == nil && startedBefore == nil }
}
