/// A job as the progress hub knows it: the user who runs it and the id they gave it, so a
/// user only ever follows their own jobs.
struct JobKey: Hashable, Sendable {
    /// The caller's user id (empty without identity).
    var owner: String
    /// The job id.
    var jobID: String
}
