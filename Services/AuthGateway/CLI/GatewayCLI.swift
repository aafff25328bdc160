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
        } catch let error as StoreError {
            err("error: \(error)")
            return 1
        } catch {
            err("error: \(error)")
            return 1
        }
    }

    /// Runs one subcommand; a store failure is thrown.
    static func dispatch(_ args: [String], store: GatewayStore, clock: any GatewayClock,
                         out: (String) -> Void, err: (String) -> Void) async throws -> Int32 {
        func usageError(_ message: String) -> Int32 { err("error: \(message)\n\(usage)"); return 2 }
        let dateFormatter = ISO8601DateFormatter()
        func format(_ date: Date?) -> String { date.map { dateFormatter.string(from: $0) } ?? "-" }
        switch (args.first, args.dropFirst().first) {
        case ("users"?, "create"?):
            guard args.count >= 3 else { return usageError("users create needs NAME") }
            let name = args[2]
            var roles: [String] = []
            var index = 3
            while index < args.count {
                guard args[index] == "--role", index + 1 < args.count else { return usageError("unexpected '\(args[index])'") }
                roles += args[index + 1].split(separator: ",").map(String.init)
                index += 2
            }
            if roles.isEmpty { return usageError("users create needs at least one --role ROLE") }
            let user = try await store.createUser(name: name, roles: roles, now: clock.now())
            out("created user \(user.name) (id \(user.id), roles \(user.roles.joined(separator: ",")))")
        case ("users"?, "list"?):
            guard args.count == 2 else { return usageError("users list takes no arguments") }
            out("ID\tNAME\tROLES\tCREATED\tDISABLED")
            for user in try await store.users() {
                out("\(user.id)\t\(user.name)\t\(user.roles.joined(separator: ","))\t\(format(user.createdAt))\t\(user.disabled ? "yes" : "no")")
            }
        case ("users"?, "disable"?):
            guard args.count == 3 else { return usageError("users disable needs NAME") }
            let user = try await store.disableUser(named: args[2])
            out("disabled user \(user.name); its sessions are ended")
        case ("keys"?, "create"?):
            guard args.count == 3 || (args.count == 5 && args[3] == "--label") else {
                return usageError("keys create NAME [--label TEXT]")
            }
            let label = args.count == 5 ? args[4] : ""
            let (record, key) = try await store.createKey(userName: args[2], label: label, now: clock.now())
            out("created key \(record.id) for \(args[2])\(label.isEmpty ? "" : " (\(label))"); it is shown only once:")
            out(key)
        case ("keys"?, "list"?):
            guard args.count == 3 else { return usageError("keys list needs NAME") }
            out("ID\tPREFIX\tLABEL\tCREATED\tLAST_USED\tREVOKED")
            for key in try await store.keys(userName: args[2]) {
                out("\(key.id)\t\(key.prefix)…\t\(key.label)\t\(format(key.createdAt))\t\(format(key.lastUsedAt))\t\(format(key.revokedAt))")
            }
        case ("keys"?, "revoke"?):
            guard args.count == 3, let id = Int64(args[2]) else { return usageError("keys revoke needs a numeric KEY_ID") }
            let key = try await store.revokeKey(id: id, now: clock.now())
            out("revoked key \(key.id) (\(key.prefix)…); its sessions are ended")
        case ("bootstrap-admin"?, nil):
            guard try await store.userCount() == 0 else { return 0 }
            _ = try await store.createUser(name: "admin", roles: ["admin", "user"], now: clock.now())
            let (record, key) = try await store.createKey(userName: "admin", label: "bootstrap", now: clock.now())
            out("created user admin (roles admin,user) and key \(record.id); it is shown only once:")
            out(key)
        default:
            return usageError("unknown command '\(args.joined(separator: " "))'")
        }
        return 0
    }
}
