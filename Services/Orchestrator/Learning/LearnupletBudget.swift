import ServiceKit

/// The most learnuplets one request may create (`MAX_NEW_LEARNUPLETS`), and how many of
/// a `POST /data`'s one write transaction creates (`LEARNUPLETS_PER_TRANSACTION`). A
/// `POST /data` that continues every algo of its problems multiplies its ids by the number
/// of algos; the maximum is checked inside the write transaction before anything is stored,
/// so a refused request changes nothing and holds the writer only for the count.
public struct LearnupletBudget: Sendable {
    /// The limit.
    public let maximum: Int
    /// A `POST /data` continues algos in transactions of about this many learnuplets (an
    /// algo's chain is never split, so one may hold more: at most one per new id).
    public let perTransaction: Int
    /// Refusals, by route (`orchestrator_learnuplet_budget_refusals_total`).
    let refusals: [Route: MetricCell]

    /// The requests that create learnuplets.
    public enum Route: String, Sendable, CaseIterable {
        /// `POST /data`: continues every algo of the listed problems.
        case data
        /// `POST /algo`: cuts the problem's train data for the new algo.
        case algo
    }

    /// A budget of `maximum` learnuplets per request, created `perTransaction` at a time,
    /// counting refusals in `metrics`.
    public init(maximum: Int, perTransaction: Int, metrics: Metrics) {
        self.maximum = maximum
        self.perTransaction = perTransaction
        refusals = Dictionary(uniqueKeysWithValues: Route.allCases.map { route in
            (route, metrics.counter("orchestrator_learnuplet_budget_refusals_total",
                                    help: "POST /data or /algo refused: it would create more than MAX_NEW_LEARNUPLETS learnuplets",
                                    labels: [("route", route.rawValue)]))
        })
    }

    /// No limit (stores made directly, e.g. by tests of other rules).
    public static let unlimited = LearnupletBudget(maximum: .max, perTransaction: OrchestratorLimits.defaults.learnupletsPerTransaction, metrics: Metrics())

    /// Throws 413 when `count` learnuplets are more than one request may create.
    func check(_ count: Int, for route: Route) throws {
        guard count > maximum else { return }
        refusals[route]?.add()
        throw Failure.tooManyLearnuplets(count, maximum: maximum, route: route)
    }
}
