import Contracts
import Foundation
import HTTPCore
import ServiceKit

extension StoreError {
    /// As an HTTP error.
    var serviceError: ServiceError {
        switch self {
        case .notFound(let m): .notFound(m)
        case .conflict(let m): .conflict(m)
        case .invalid(let m): .badRequest(m)
        }
    }
}

extension Gateway {
    /// `/admin/...`: users and keys, for the admin role (JSON).
    func addAdminRoutes(_ router: Router) {
        func admin(_ body: @escaping @Sendable (Request) async throws -> HTTPResponse) -> Handler {
            { [self] request in
                let p = try await authenticate(request)
                guard p.roles.contains("admin") else { throw ServiceError.forbidden("requires role: admin") }
                do { return try await body(request) } catch let e as StoreError { throw e.serviceError }
            }
        }
        router.get("/admin/users", admin { [self] _ in .json(try await store.users()) })
        router.post("/admin/users", admin { [self] r in
            let b = try await r.decodeJSON(AuthGatewayAPI.CreateUserRequest.self)
            return .json(try await store.createUser(name: b.name, roles: b.roles, now: clock.now()), status: .created)
        })
        router.get("/admin/users/{name}", admin { [self] r in .json(try await store.user(named: try r.parameter("name"))) })
        router.post("/admin/users/{name}/disable", admin { [self] r in
            .json(try await auth.disableUser(named: try r.parameter("name")))
        })
        router.get("/admin/users/{name}/keys", admin { [self] r in .json(try await store.keys(userName: try r.parameter("name"))) })
        router.post("/admin/users/{name}/keys", admin { [self] r in
            let name = try r.parameter("name")
            let bytes = try await r.body(limit: 64 * 1024)
            let label = bytes.isEmpty ? "" : ((try? JSON.decode(AuthGatewayAPI.CreateKeyRequest.self, from: bytes))?.label ?? "")
            let (rec, key) = try await store.createKey(userName: name, label: label, now: clock.now())
            return .json(AuthGatewayAPI.CreatedKey(id: rec.id, user: name, label: rec.label, prefix: rec.prefix, key: key), status: .created)
        })
        let revoke = admin { [self] r in
            guard let id = Int64(try r.parameter("id")) else { throw ServiceError.badRequest("key id must be an integer") }
            return .json(try await auth.revokeKey(id: id))
        }
        router.post("/admin/keys/{id}/revoke", revoke)
        router.delete("/admin/keys/{id}", revoke)
    }
}
