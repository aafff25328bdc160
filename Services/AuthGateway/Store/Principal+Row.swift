import Storage

extension Principal {
    /// Reads a principal from four columns of a row, from `first`: user id, user name,
    /// roles (comma-separated), key id.
    init(row: Row, startingAt first: Int) throws {
        self.init(userID: try row.get(first), name: try row.get(first + 1),
                  roles: Principal.roles(fromColumn: try row.get(first + 2)), keyID: try row.get(first + 3))
    }

    /// Roles as stored: comma-separated (each once, should an older row repeat one).
    static func roles(fromColumn text: String) -> [String] {
        GatewayStore.distinct(text.split(separator: ",").lazy.map(String.init))
    }
}
