import Contracts
import Storage

extension AuthGatewayAPI.APIKey {
    /// Reads a row selected with `Queries.keyColumns`.
    init(row: Row) throws {
        self.init(id: try row.get(0), userID: try row.get(1), label: try row.get(2), prefix: try row.get(3),
                  createdAt: try row.get(4), lastUsedAt: try row.get(5), revokedAt: try row.get(6))
    }
}
