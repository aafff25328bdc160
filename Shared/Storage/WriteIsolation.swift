/// How a write transaction stands against concurrent ones (`SQLDatabase.write(isolation:_:)`).
/// PostgreSQL honours it; SQLite's writes are serialised, one writer at a time, whichever
/// is asked.
public enum WriteIsolation: Sendable, Equatable {
    /// The outcome is that of some serial order of the transactions; a conflict aborts one,
    /// whose closure then runs again. The default: a closure that reads, decides and writes
    /// behaves as on SQLite.
    case serializable
    /// `READ COMMITTED`: each statement sees what was committed before it began, and nothing
    /// aborts for a conflict (the closure runs again only after a deadlock). The closure
    /// orders itself against the others with row locks: its first statement locks the row
    /// everything it decides on hangs from (`SELECT … FOR UPDATE`, a named query whose
    /// SQLite text leaves out what SQLite does not know), so transactions on the same row
    /// run one after another and each sees the ones before it, where `serializable` would
    /// abort all but one of them.
    case readCommitted
}
