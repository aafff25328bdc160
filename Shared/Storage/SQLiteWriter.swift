/// The actor that owns the single write connection; every write is serialised through it.
actor SQLiteWriter {
    private var connection: SQLiteConnection?
    private let hub: NotificationHub

    init(connection: sending SQLiteConnection, hub: NotificationHub) {
        self.connection = connection
        self.hub = hub
    }

    private func open() throws -> SQLiteConnection {
        guard let connection else { throw StorageError(kind: .closed, message: "database is closed") }
        return connection
    }

    /// Runs `body` inside `BEGIN IMMEDIATE` ... `COMMIT`, rolling back on any throw; posts
    /// the notifications it queued once it has committed.
    func write<T: Sendable>(_ body: @Sendable (any SQLConnection) throws -> T) throws -> T {
        let conn = try open()
        conn.notificationsAllowed = true
        defer { conn.notificationsAllowed = false }
        let result = try conn.transaction(.immediate) { try body($0) }
        let notifications = conn.pendingNotifications
        conn.pendingNotifications.removeAll()
        for notification in notifications { hub.post(channel: notification.channel, payload: notification.payload) }
        return result
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
