import ServiceKit

/// `orchestrator_claims_total{type, outcome}`: every `POST /worker/{type}/{id}` by what it
/// got, `won` (a claim made: todo → pending), `lost` (nothing claimed: another worker had
/// it, or it was not todo) or `not_found`. Every series exists from the start (at 0).
struct ClaimCounters: Sendable {
    /// The cells by uplet type and outcome.
    private let cells: [UpletType: [ClaimBatcher.Outcome: MetricCell]]

    /// The counters, registered in `metrics`.
    init(metrics: Metrics) {
        var cells: [UpletType: [ClaimBatcher.Outcome: MetricCell]] = [:]
        for type in [UpletType.learnuplet, .preduplet] {
            for outcome in [ClaimBatcher.Outcome.won, .lost, .notFound] {
                cells[type, default: [:]][outcome] = metrics.counter(
                    "orchestrator_claims_total", help: "Worker claims by uplet type and outcome (won: claimed; lost: nothing claimed; not_found)",
                    labels: [("type", type.rawValue), ("outcome", Self.label(outcome))])
            }
        }
        self.cells = cells
    }

    /// Counts one claim of `type` that ended with `outcome`.
    func count(_ type: UpletType, _ outcome: ClaimBatcher.Outcome) {
        cells[type]?[outcome]?.add()
    }

    /// The `outcome` label of an outcome.
    static func label(_ outcome: ClaimBatcher.Outcome) -> String {
        switch outcome {
        case .won: "won"
        case .lost: "lost"
        case .notFound: "not_found"
        }
    }
}
