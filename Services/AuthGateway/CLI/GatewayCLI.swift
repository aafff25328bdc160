import Foundation
import ServiceKit

/// `auth-gateway users|keys|bootstrap-admin ...`: manage users and keys on the same
/// database the server uses.
public enum GatewayCLI {
    /// The subcommands this CLI handles (anything else: serve).
    public static let commands: Set<String> = ["users", "keys", "bootstrap-admin"]

    /// Usage text.
    public static let usage = """
        usage:
          auth-gateway                                   serve (configuration by environment; --help lists it)
          auth-gateway users create NAME --role ROLE [--role ROLE ...]
          auth-gateway users list
          auth-gateway users disable NAME
          auth-gateway keys create NAME [--label TEXT]   the new key is printed alone on the last line
          auth-gateway keys list NAME
          auth-gateway keys revoke KEY_ID
          auth-gateway bootstrap-admin                   first admin + key, only when there are no users
        """

    /// Runs a subcommand; `out` gets stdout lines, `err` stderr lines. Returns the exit status.
    public static func run(_ args: [String], store: GatewayStore, clock: any GatewayClock = SystemClock(),
                           out: (String) -> Void, err: (String) -> Void) async -> Int32 {
        do {
            return try await dispatch(args, store: store, clock: clock, out: out, err: err)
        } catch let e as StoreError {
            err("error: \(e)")
            return 1
        } catch {
            err("error: \(error)")
            return 1
        }
    }

    static func dispatch(_ args: [String], store: GatewayStore, clock: any GatewayClock,
                         out: (String) -> Void, err: (String) -> Void) async throws -> Int32 {
        func usageError(_ m: String) -> Int32 { err("error: \(m)\n\(usage)"); return 2 }
        let date = ISO8601DateFormatter()
        func fmt(_ d: Date?) -> String { d.map { date.string(from: $0) } ?? "-" }
        switch (args.first, args.dropFirst().first) {
        case ("users"?, "create"?):
            guard args.count >= 3 else { return usageError("users create needs NAME") }
            let name = args[2]
            var roles: [String] = []
            var i = 3
            while i < args.count {
                guard args[i] == "--role", i + 1 < args.count else { return usageError("unexpected '\(args[i])'") }
                roles += args[i + 1].split(separator: ",").map(String.init)
                i += 2
            }
            if roles.isEmpty { return usageError("users create needs at least one --role ROLE") }
            let u = try await store.createUser(name: name, roles: roles, now: clock.now())
            out("created user \(u.name) (id \(u.id), roles \(u.roles.joined(separator: ",")))")
        case ("users"?, "list"?):
            guard args.count == 2 else { return usageError("users list takes no arguments") }
            out("ID\tNAME\tROLES\tCREATED\tDISABLED")
            for u in try await store.users() {
                out("\(u.id)\t\(u.name)\t\(u.roles.joined(separator: ","))\t\(fmt(u.createdAt))\t\(u.disabled ? "yes" : "no")")
            }
        case ("users"?, "disable"?):
            guard args.count == 3 else { return usageError("users disable needs NAME") }
            let u = try await store.disableUser(named: args[2])
            out("disabled user \(u.name); its sessions are ended")
        case ("keys"?, "create"?):
            guard args.count == 3 || (args.count == 5 && args[3] == "--label") else {
                return usageError("keys create NAME [--label TEXT]")
            }
            let label = args.count == 5 ? args[4] : ""
            let (rec, key) = try await store.createKey(userName: args[2], label: label, now: clock.now())
            out("created key \(rec.id) for \(args[2])\(label.isEmpty ? "" : " (\(label))"); it is shown only once:")
            out(key)
        case ("keys"?, "list"?):
            guard args.count == 3 else { return usageError("keys list needs NAME") }
            out("ID\tPREFIX\tLABEL\tCREATED\tLAST_USED\tREVOKED")
            for k in try await store.keys(userName: args[2]) {
                out("\(k.id)\t\(k.prefix)…\t\(k.label)\t\(fmt(k.createdAt))\t\(fmt(k.lastUsedAt))\t\(fmt(k.revokedAt))")
            }
        case ("keys"?, "revoke"?):
            guard args.count == 3, let id = Int64(args[2]) else { return usageError("keys revoke needs a numeric KEY_ID") }
            let k = try await store.revokeKey(id: id, now: clock.now())
            out("revoked key \(k.id) (\(k.prefix)…); its sessions are ended")
        case ("bootstrap-admin"?, nil):
            guard try await store.userCount() == 0 else { return 0 }
            _ = try await store.createUser(name: "admin", roles: ["admin", "user"], now: clock.now())
            let (rec, key) = try await store.createKey(userName: "admin", label: "bootstrap", now: clock.now())
            out("created user admin (roles admin,user) and key \(rec.id); it is shown only once:")
            out(key)
        default:
            return usageError("unknown command '\(args.joined(separator: " "))'")
        }
        return 0
    }
}
