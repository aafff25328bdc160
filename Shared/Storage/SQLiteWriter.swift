/// The actor that owns the single write connection; every write is serialised through it.
actor SQLiteWriter {
    private var connection: SQLiteConnection?

    init(connection: sending SQLiteConnection) {
        self.connection = connection
    }

    private func open() throws -> SQLiteConnection {
        guard let connection else { throw StorageError(kind: .closed, message: "database is closed") }
        return connection
    }

    /// Runs `body` inside `BEGIN IMMEDIATE` ... `COMMIT`, rolling back on any throw.
    func write<T: Sendable>(_ body: @Sendable (any SQLConnection) throws -> T) throws -> T {
        try open().transaction(.immediate) { try body($0) }
    }

    /// Runs `body` in a deferred transaction on the writer (for in-memory databases).
    func read<T: Sendable>(_ body: @Sendable (any SQLConnection) throws -> T) throws -> T {
        try open().transaction(.deferred) { try body($0) }
    }

    /// Runs `body` on the raw writer connection, outside any transaction.
    func withConnection<T: Sendable>(_ body: @Sendable (SQLiteConnection) throws -> T) throws -> T {
        try body(open())
    }

    func close() {
        connection?.close()
        connection = nil
    }
}
