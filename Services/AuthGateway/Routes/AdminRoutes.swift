import Contracts
import HTTPCore
import ServiceKit

/// `/admin/…`: users and keys, for the admin role (JSON). Each handler first checks the
/// caller (`requireAdmin`); store failures answer 404/409/400.
extension Gateway {
    /// `GET /admin/users`: every user.
    func listUsers(_ request: Request) async throws -> HTTPResponse {
        try await asAdmin(request) { .json(try await store.users()) }
    }

    /// `POST /admin/users` `{"name", "roles"}` → 201 the user.
    func createUser(_ request: Request) async throws -> HTTPResponse {
        try await asAdmin(request) {
            let body = try await request.decodeJSON(AuthGatewayAPI.CreateUserRequest.self)
            return .json(try await store.createUser(name: body.name, roles: body.roles, now: clock.now()), status: .created)
        }
    }

    /// `GET /admin/users/{name}`.
    func showUser(_ request: Request) async throws -> HTTPResponse {
        try await asAdmin(request) { .json(try await store.user(named: try request.parameter("name"))) }
    }

    /// `POST /admin/users/{name}/disable`: the user's sessions end at once.
    func disableUser(_ request: Request) async throws -> HTTPResponse {
        try await asAdmin(request) { .json(try await auth.disableUser(named: try request.parameter("name"))) }
    }

    /// `GET /admin/users/{name}/keys`: the user's keys (never the keys themselves).
    func listKeys(_ request: Request) async throws -> HTTPResponse {
        try await asAdmin(request) { .json(try await store.keys(userName: try request.parameter("name"))) }
    }

    /// `POST /admin/users/{name}/keys` (optional `{"label"}`) → 201 the new key, shown this once.
    func createKey(_ request: Request) async throws -> HTTPResponse {
        try await asAdmin(request) {
            let name = try request.parameter("name")
            let bytes = try await request.body(limit: 64 * 1024)
            let label = bytes.isEmpty ? "" : ((try? JSON.decode(AuthGatewayAPI.CreateKeyRequest.self, from: bytes))?.label ?? "")
            let (record, key) = try await store.createKey(userName: name, label: label, now: clock.now())
            let created = AuthGatewayAPI.CreatedKey(id: record.id, user: name, label: record.label, prefix: record.prefix, key: key)
            return .json(created, status: .created)
        }
    }

    /// `POST /admin/keys/{id}/revoke` and `DELETE /admin/keys/{id}`: the key's sessions end at once.
    func revokeKey(_ request: Request) async throws -> HTTPResponse {
        try await asAdmin(request) {
            guard let id = Int64(try request.parameter("id")) else { throw ServiceError.badRequest("key id must be an integer") }
            return .json(try await auth.revokeKey(id: id))
        }
    }

    /// Runs `handler` for an authenticated caller with the admin role (the one role
    /// check, `RoleCheck`: 403 without it) within the caller's rate limit (429, as on the
    /// proxy); a store failure becomes its HTTP error.
    private func asAdmin(_ request: Request, _ handler: () async throws -> HTTPResponse) async throws -> HTTPResponse {
        let principal = try await authenticate(request)
        if let refusal = RoleCheck.refusal(requiring: Gateway.adminRoles, held: principal.roles) { throw refusal }
        if let refusal = rateLimitRefusal(principal) { throw refusal }
        do { return try await handler() } catch let error as StoreError { throw error.serviceError }
    }
}
