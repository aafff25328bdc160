import Contracts
import Storage

extension AuthGatewayAPI.User {
    /// Reads a row selected with `Queries.userColumns`.
    init(row: Row) throws {
        self.init(id: try row.get(0), name: try row.get(1), roles: Principal.roles(fromColumn: try row.get(2)),
                  createdAt: try row.get(3), disabled: try row.get(4, as: Int.self) != 0)
    }
}
