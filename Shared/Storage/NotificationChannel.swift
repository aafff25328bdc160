/// Rules for notification channel names (the same on both backends).
enum NotificationChannel {
    /// Throws `.invalidConfiguration` unless `channel` is 1–63 of `[a-z0-9_]`, not starting
    /// with a digit (a PostgreSQL identifier that needs no quoting).
    static func validate(_ channel: String) throws {
        try SQLIdentifier.validate(channel, what: "notification channel")
    }
}
