import Storage

/// The storage backends a store test suite runs against: `@Test(arguments: TestBackend.allCases)`.
public enum TestBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    /// A fresh SQLite file in the temporary directory.
    case sqlite
    /// A fresh schema on `TEST_DATABASE_URL` (see `TestDatabaseLocation`).
    case postgres

    /// The backend's dialect.
    public var dialect: SQLDialect {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// `"sqlite"` or `"postgres"` (the test's argument label).
    public var description: String { rawValue }
}
