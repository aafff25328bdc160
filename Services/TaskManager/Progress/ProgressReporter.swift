import Contracts

/// One job's progress, published to the hub: `report(_:_:)` as it goes, `finish` or `fail` at the end.
struct ProgressReporter: Sendable {
    /// The hub.
    let hub: ProgressHub
    /// Who runs the job.
    let owner: String
    /// The job id.
    let jobID: String

    /// Publishes `progress` (0–1) at `stage`.
    func report(_ progress: Double, _ stage: String) async {
        await hub.publish(TaskManagerAPI.ProgressMessage(progress: min(1, max(0, progress)), stage: stage, jobId: jobID), owner: owner)
    }

    /// Publishes the end: progress 1, stage `done`.
    func finish() async { await report(1, "done") }

    /// Publishes a failure: progress 1, stage `failed: <reason>`.
    func fail(_ reason: String) async { await report(1, "failed: " + reason) }
}
