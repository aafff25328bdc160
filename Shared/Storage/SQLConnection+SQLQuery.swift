extension SQLConnection {
    /// Runs a script (the text of this connection's dialect).
    public func execute(_ query: SQLQuery) throws {
        try execute(query.sql(for: dialect))
    }

    /// Runs one named statement with `parameters`; returns the number of rows changed.
    @discardableResult
    public func run(_ query: SQLQuery, parameters: [any SQLBindable]) throws -> Int {
        try run(query.sql(for: dialect), parameters: parameters)
    }

    /// Runs one named statement with the given parameters; returns the number of rows changed.
    @discardableResult
    public func run(_ query: SQLQuery, _ parameters: any SQLBindable...) throws -> Int {
        try run(query.sql(for: dialect), parameters: parameters)
    }

    /// Runs one named query and returns all of its rows.
    public func query(_ query: SQLQuery, parameters: [any SQLBindable]) throws -> [Row] {
        try self.query(query.sql(for: dialect), parameters: parameters)
    }

    /// Runs one named query with the given parameters and returns all of its rows.
    public func query(_ query: SQLQuery, _ parameters: any SQLBindable...) throws -> [Row] {
        try self.query(query.sql(for: dialect), parameters: parameters)
    }

    /// Runs one named query and returns its first row, if any.
    public func queryOne(_ query: SQLQuery, parameters: [any SQLBindable]) throws -> Row? {
        try queryOne(query.sql(for: dialect), parameters: parameters)
    }

    /// Runs one named query with the given parameters and returns its first row, if any.
    public func queryOne(_ query: SQLQuery, _ parameters: any SQLBindable...) throws -> Row? {
        try queryOne(query.sql(for: dialect), parameters: parameters)
    }

    /// Runs one named query and calls `body` for each row.
    public func forEach(_ query: SQLQuery, parameters: [any SQLBindable], _ body: (Row) throws -> Void) throws {
        try forEach(query.sql(for: dialect), parameters: parameters, body)
    }

    /// Runs one named query with the given parameters and calls `body` for each row.
    public func forEach(_ query: SQLQuery, _ parameters: any SQLBindable..., body: (Row) throws -> Void) throws {
        try forEach(query.sql(for: dialect), parameters: parameters, body)
    }
}
