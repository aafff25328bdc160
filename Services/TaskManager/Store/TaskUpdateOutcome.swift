/// What `TaskStore.update(_:expecting:committing:)` did.
public enum TaskUpdateOutcome: Sendable, Equatable {
    /// The row was replaced (and the step ran).
    case updated
    /// Another writer updated the task since its version was read: nothing changed.
    case changed
    /// No such task.
    case missing
}
