/// `TEST_DATABASE_URL` is not set, so the PostgreSQL cases cannot run.
public struct TestDatabaseUnavailable: Error, CustomStringConvertible {
    /// How to get a server.
    public var description: String {
        """
        TEST_DATABASE_URL is not set: the PostgreSQL cases of the store tests need a server. \
        deploy/test starts a throwaway cluster and sets it; to run `swift test` yourself, first \
        `source deploy/lib.sh && start_test_postgres` in your shell (installs Debian's postgresql \
        when missing, starts a cluster on a unix socket in a temporary directory, exports \
        TEST_DATABASE_URL, stops it when the shell exits), or point TEST_DATABASE_URL at any \
        PostgreSQL you may create schemas in.
        """
    }
}
