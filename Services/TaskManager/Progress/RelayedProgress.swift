import Contracts

/// A progress message as one replica announces it to the others on the database: the
/// announcing process (so it skips its own), the job's owner, and the message.
struct RelayedProgress: Codable, Sendable, Equatable {
    /// The announcing process (`ProgressRelay.origin`).
    var origin: String
    /// The job's owner (the caller's user id).
    var owner: String
    /// The message.
    var message: TaskManagerAPI.ProgressMessage
}
