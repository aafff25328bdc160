import CPostgres

extension PostgresConnection {
    /// How a transaction begins.
    public enum TransactionMode: Sendable, Equatable {
        /// A read-write transaction at `isolation`.
        case write(PostgresOptions.IsolationLevel)
        /// `REPEATABLE READ READ ONLY`: one consistent snapshot; writing in it fails (`25006`).
        case readOnly
        /// No `BEGIN`/`COMMIT`: one statement in autocommit, atomic by itself; a second
        /// statement throws `.invalidStatement`.
        case singleStatement

        var beginSQL: String? {
            switch self {
            case .write(let isolation): "BEGIN ISOLATION LEVEL \(isolation.sql)"
            case .readOnly: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
            case .singleStatement: nil
            }
        }
    }

    /// Runs `body` inside `BEGIN` ... `COMMIT`, rolling back and rethrowing if `body` or the
    /// commit throws. A statement that fails inside a PostgreSQL transaction aborts it, so a
    /// closure that catches such an error and goes on gets `25P02` on its next statement,
    /// and if it returns normally the commit throws (PostgreSQL answers `COMMIT` of an
    /// aborted transaction with `ROLLBACK`): nothing is written either way.
    public func transaction<T>(_ mode: TransactionMode, _ body: (PostgresConnection) throws -> T) throws -> T {
        commitOutcomeUnknown = false
        guard let beginSQL = mode.beginSQL else { return try singleStatement(body) }
        PQclear(try simple(beginSQL))
        notificationsAllowed = mode != .readOnly
        defer { notificationsAllowed = false }
        do {
            let result = try body(self)
            try commit()
            return result
        } catch {
            rollbackIfNeeded()
            throw error
        }
    }

    /// Runs `body` with one statement allowed, in autocommit. A connection lost during the
    /// statement leaves its outcome unknown (it may have committed): not to be re-run.
    private func singleStatement<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        statementsAllowed = 1
        notificationsAllowed = true  // a notification alone is the one statement
        defer {
            statementsAllowed = nil
            notificationsAllowed = false
        }
        do {
            return try body(self)
        } catch let error as StorageError {
            if error.isConnectionFailure && statementsAllowed == 0 { commitOutcomeUnknown = true }
            throw error
        }
    }

    private func commit() throws {
        let result: OpaquePointer
        do {
            result = try simple("COMMIT")
        } catch let error as StorageError {
            if error.isConnectionFailure { commitOutcomeUnknown = true }
            throw error
        }
        defer { PQclear(result) }
        if let status = PQcmdStatus(result), String(cString: status) == "ROLLBACK" {
            throw StorageError(kind: .postgres, sqlState: "25P02",
                               message: "the transaction was rolled back at COMMIT: a statement in it failed (was its error caught inside the closure?)",
                               sql: "COMMIT")
        }
    }

    /// Rolls back the open transaction, if any, ignoring errors (used on failure paths).
    func rollbackIfNeeded() {
        guard let handle = try? rawHandle(), isInTransaction, PQstatus(handle) == CONNECTION_OK else { return }
        PQclear(PQexec(handle, "ROLLBACK"))
    }
}
