import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// Two real `auth-gateway` binaries on one PostgreSQL database (`GatewayReplicaSystem`):
/// sessions made on one work on the other, revocations through `/admin` and the command
/// line reach both (announced on the database, not waited out: cached credentials are
/// trusted for an hour here), and a replica killed while it makes sessions loses none it
/// acknowledged.
@Suite("auth-gateway replicas on one PostgreSQL (real binaries)", .serialized)
struct GatewayReplicaTests {
    /// Polls replica `index` with `headers` until it refuses them (403); whether it did
    /// before the hang guard (a minute) ran out.
    func refusedEventually(_ system: GatewayReplicaSystem, on index: Int, _ headers: [String: String]) async -> Bool {
        await eventually(timeout: .seconds(60), polling: .milliseconds(2)) {
            (try? await system.adminUsers(on: index, headers))?.status == 403
        }
    }

    @Test func sessionFromOneReplicaWorksOnTheOtherAndARevocationReachesIt() async throws {
        let system = try await GatewayReplicaSystem.start()
        do {
            let dev = try await system.user("dev", roles: ["admin", "user"], through: 0)
            let session = try await system.session(on: 0, key: dev.key)
            // Made on replica 0, used on replica 1 at once (and cached there from now on).
            #expect(try await system.adminUsers(on: 1, ["Session-ID": session]).status == 200)
            #expect(try await system.adminUsers(on: 1, ["API-Key": dev.key]).status == 200)
            #expect(try await system.adminUsers(on: 0, ["Session-ID": session]).status == 200)

            let revoke = ContinuousClock.now
            let revoked = try await SimpleHTTP.request("POST", port: system.ports[0], path: "/admin/keys/\(dev.id)/revoke",
                                                       headers: ["API-Key": system.adminKey], body: "")
            let answered = ContinuousClock.now
            #expect(revoked.status == 200)
            #expect(await refusedEventually(system, on: 1, ["Session-ID": session]))
            let refused = ContinuousClock.now
            print("replica revocation: refused on replica 1 \(refused - answered) after replica 0 answered the revocation (\(refused - revoke) after it was sent)")
            let refusal = try await system.adminUsers(on: 1, ["Session-ID": session])
            #expect(refusal.status == 403 && refusal.body.contains("invalid or expired session"))
            #expect(try await system.adminUsers(on: 1, ["API-Key": dev.key]).status == 403)
            #expect(try await system.adminUsers(on: 0, ["Session-ID": session]).status == 403)
            // The admin's own key still works on both.
            #expect(try await system.adminUsers(on: 1, ["API-Key": system.adminKey]).status == 200)
        } catch {
            await system.stop()
            throw error
        }
        await system.stop()
    }

    @Test func userDisabledThroughTheCommandLineIsRefusedByBoth() async throws {
        let system = try await GatewayReplicaSystem.start()
        do {
            let dev = try await system.user("dev", roles: ["admin", "user"], through: 1)
            let sessions = [try await system.session(on: 0, key: dev.key), try await system.session(on: 1, key: dev.key)]
            for index in 0..<2 {
                for session in sessions { #expect(try await system.adminUsers(on: index, ["Session-ID": session]).status == 200) }
                #expect(try await system.adminUsers(on: index, ["API-Key": dev.key]).status == 200)
            }
            let output = try await system.commandLine(["users", "disable", "dev"])
            #expect(output.contains("disabled user dev"))
            for index in 0..<2 {
                for session in sessions { #expect(await refusedEventually(system, on: index, ["Session-ID": session])) }
                #expect(try await system.adminUsers(on: index, ["API-Key": dev.key]).status == 403)
                #expect(try await system.adminUsers(on: index, ["API-Key": system.adminKey]).status == 200)
            }
        } catch {
            await system.stop()
            throw error
        }
        await system.stop()
    }

    @Test func everySessionAcknowledgedByAKilledReplicaWorksOnTheOther() async throws {
        let system = try await GatewayReplicaSystem.start()
        do {
            let key = system.adminKey
            // Four clients make sessions on replica 0 until it stops answering; what it
            // acknowledged comes back through `acknowledged`, and the 40th is the moment to kill it.
            let (acknowledged, sink) = AsyncStream<String>.makeStream()
            let clients = Task {
                await withTaskGroup(of: Void.self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            for _ in 0..<5_000 {
                                guard let session = try? await system.session(on: 0, key: key) else { return }
                                sink.yield(session)
                            }
                        }
                    }
                }
                sink.finish()
            }
            var sessions: [String] = []
            var killed = false
            for await session in acknowledged {
                sessions.append(session)
                if sessions.count == 40 {
                    killed = system.processes[0].signal(SIGKILL, toGroup: false)
                }
            }
            await clients.value
            #expect(killed)
            #expect(await TestSupport.waitForExit(system.processes[0]) == SIGKILL)
            #expect(sessions.count >= 40)
            var refused: [String] = []
            for session in sessions {
                if try await system.adminUsers(on: 1, ["Session-ID": session]).status != 200 { refused.append(session) }
            }
            #expect(refused.isEmpty, "\(refused.count) of \(sessions.count) acknowledged sessions refused by the surviving replica")
            // The survivor keeps serving: a new session there works.
            let fresh = try await system.session(on: 1, key: key)
            #expect(try await system.adminUsers(on: 1, ["Session-ID": fresh]).status == 200)
        } catch {
            await system.stop()
            throw error
        }
        await system.stop()
    }
}
