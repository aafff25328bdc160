import AuthGateway
import Contracts
import Foundation
import HTTPCore
import ServiceKit
import Testing
import TestSupport

@Suite("admin API and CLI")
struct AdminTests {
    @Test func adminRoleRequiredAndCRUD() async throws {
        let t = try await TestGateway.make()
        let admin = try await t.user("root", roles: ["admin"])
        let user = try await t.user("alice")
        #expect(await t.app.call(.GET, "/admin/users").status == 401)
        #expect(await t.app.call(.GET, "/admin/users", headers: ["API-Key": user]).status == 403)
        let h: HTTPHeaders = ["API-Key": admin, "Content-Type": "application/json"]
        func post<T: Encodable>(_ path: String, _ body: T) async -> TestResponse {
            await t.app.call(.POST, path, headers: h, body: JSON.encodeOrEmpty(body))
        }
        let created = await post("/admin/users", AuthGatewayAPI.CreateUserRequest(name: "carol", roles: ["user", "auditor"]))
        #expect(created.status == 201)
        let carol = try created.json(AuthGatewayAPI.User.self)
        #expect(carol.name == "carol" && carol.roles == ["user", "auditor"] && !carol.disabled)
        #expect(await post("/admin/users", AuthGatewayAPI.CreateUserRequest(name: "carol", roles: ["user"])).status == 409)
        #expect(await post("/admin/users", AuthGatewayAPI.CreateUserRequest(name: "dave", roles: ["king"])).status == 400)
        let key = await post("/admin/users/carol/keys", AuthGatewayAPI.CreateKeyRequest(label: "ci"))
        #expect(key.status == 201)
        let createdKey = try key.json(AuthGatewayAPI.CreatedKey.self)
        #expect(createdKey.user == "carol" && createdKey.label == "ci" && createdKey.key.hasPrefix(createdKey.prefix))
        #expect(await t.app.call(.GET, "/session", headers: ["API-Key": createdKey.key]).status == 200)
        let list = await t.app.call(.GET, "/admin/users/carol/keys", headers: h)
        #expect(list.status == 200)
        #expect(!list.text.contains(createdKey.key))
        let keys = try list.json([AuthGatewayAPI.APIKey].self)
        #expect(keys.map(\.id) == [createdKey.id] && keys[0].label == "ci" && keys[0].userID == carol.id && keys[0].lastUsedAt != nil)
        #expect(await t.app.call(.POST, "/admin/keys/\(createdKey.id)/revoke", headers: h).status == 200)
        #expect(await t.app.call(.GET, "/session", headers: ["API-Key": createdKey.key]).status == 403)
        #expect(await t.app.call(.POST, "/admin/users/alice/disable", headers: h).status == 200)
        #expect(await t.app.call(.GET, "/session", headers: ["API-Key": user]).status == 403)
        let users = try await t.app.call(.GET, "/admin/users", headers: h).json([AuthGatewayAPI.User].self)
        #expect(users.first { $0.name == "alice" }?.disabled == true)
        #expect(users.first { $0.name == "carol" }?.disabled == false)
        #expect(await t.app.call(.POST, "/admin/users/nobody/disable", headers: h).status == 404)
        await t.close()
    }

    final class Lines: @unchecked Sendable {
        var out: [String] = []
        var err: [String] = []
    }

    func cli(_ t: TestGateway, _ args: String...) async -> (Int32, Lines) {
        let l = Lines()
        let code = await GatewayCLI.run(args, store: t.store, clock: t.clock, out: { l.out.append($0) }, err: { l.err.append($0) })
        return (code, l)
    }

    @Test func cliCommandsOnTheSameDatabase() async throws {
        let t = try await TestGateway.make()
        var (code, l) = await cli(t, "users", "create", "alice", "--role", "user", "--role", "compute")
        #expect(code == 0)
        #expect(try await t.store.user(named: "alice").roles == ["user", "compute"])
        (code, l) = await cli(t, "keys", "create", "alice", "--label", "laptop")
        #expect(code == 0)
        let key = try #require(l.out.last)
        #expect(key.hasPrefix("cbk_") && key.count == 47)
        // The key printed works against the server on the same store.
        #expect(await t.app.call(.GET, "/session", headers: ["API-Key": key]).status == 200)
        (code, l) = await cli(t, "users", "list")
        #expect(l.out.count == 2 && l.out[1].contains("alice") && l.out[1].contains("user,compute"))
        (code, l) = await cli(t, "keys", "list", "alice")
        #expect(l.out.count == 2 && l.out[1].contains("laptop"))
        #expect(!l.out.joined().contains(key))
        (code, l) = await cli(t, "keys", "revoke", "1")
        #expect(code == 0)
        #expect(try await t.store.keys(userName: "alice")[0].revokedAt != nil)
        (code, l) = await cli(t, "users", "disable", "alice")
        #expect(code == 0)
        #expect(try await t.store.user(named: "alice").disabled)
        (code, l) = await cli(t, "users", "create", "alice", "--role", "user")
        #expect(code == 1)
        #expect(l.err.first?.contains("already exists") == true)
        (code, l) = await cli(t, "users", "create", "bob")
        #expect(code == 2)
        (code, l) = await cli(t, "frobnicate")
        #expect(code == 2)
        await t.close()
    }

    /// Issue 10, finding 14: a role given twice was stored twice.
    @Test func duplicateRolesAreStoredOnce() async throws {
        let t = try await TestGateway.make()
        let admin = try await t.user("root", roles: ["admin"])
        let created = await t.app.call(.POST, "/admin/users", headers: ["API-Key": admin, "Content-Type": "application/json"],
                                       body: Array(#"{"name":"carol","roles":["user","user","admin","user"]}"#.utf8))
        #expect(created.status == 201)
        #expect(try created.json(AuthGatewayAPI.User.self).roles == ["user", "admin"])
        #expect(try await t.store.user(named: "carol").roles == ["user", "admin"])
        let shown = await t.app.call(.GET, "/admin/users/carol", headers: ["API-Key": admin])
        #expect(try shown.json(AuthGatewayAPI.User.self).roles == ["user", "admin"])
        let (code, lines) = await cli(t, "users", "create", "dave", "--role", "compute", "--role", "compute,user", "--role", "compute")
        #expect(code == 0)
        #expect(lines.out.first?.contains("roles compute,user)") == true)
        #expect(try await t.store.user(named: "dave").roles == ["compute", "user"])
        // Stored rows as written before (with a duplicate) are read back once each too.
        _ = try await t.store.db.write { try $0.run("UPDATE users SET roles = 'user,user,auditor' WHERE name = 'dave'") }
        #expect(try await t.store.user(named: "dave").roles == ["user", "auditor"])
        await t.close()
    }

    @Test func bootstrapAdminOnlyOnAnEmptyStore() async throws {
        let t = try await TestGateway.make()
        var (code, l) = await cli(t, "bootstrap-admin")
        #expect(code == 0)
        let key = try #require(l.out.last)
        #expect(key.hasPrefix("cbk_"))
        #expect(try await t.store.user(named: "admin").roles == ["admin", "user"])
        #expect(await t.app.call(.GET, "/admin/users", headers: ["API-Key": key]).status == 200)
        (code, l) = await cli(t, "bootstrap-admin")
        #expect(code == 0)
        #expect(l.out.isEmpty)
        #expect(try await t.store.userCount() == 1)
        await t.close()
    }

    @Test func builtBinaryRunsTheCLI() async throws {
        // The executable next to the test bundle (built by `swift build`); skipped if absent.
        let bin = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("auth-gateway")
        let candidates = [bin, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("auth-gateway")]
        guard let exe = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        func run(_ args: [String]) async throws -> (Int32, String) {
            let result = try await TestSupport.run(exe, arguments: args, environment: ["DATA_DIR": dir.path])
            return (result.status, result.output)
        }
        let (c1, o1) = try await run(["bootstrap-admin"])
        #expect(c1 == 0)
        let key = o1.split(separator: "\n").last.map(String.init) ?? ""
        #expect(key.hasPrefix("cbk_"))
        let (c2, o2) = try await run(["users", "create", "eve", "--role", "auditor"])
        #expect(c2 == 0 && o2.contains("eve"))
        let (c3, o3) = try await run(["keys", "create", "eve"])
        #expect(c3 == 0)
        #expect(o3.split(separator: "\n").last?.hasPrefix("cbk_") == true)
        let (_, o4) = try await run(["users", "list"])
        #expect(o4.contains("admin") && o4.contains("eve"))
        let store = try await GatewayStore.open(path: dir.appendingPathComponent("gateway.sqlite").path)
        #expect(try await store.userCount() == 2)
        await store.close()
    }
}
