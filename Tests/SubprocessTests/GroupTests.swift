import Foundation
import Subprocess
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Process groups: timeouts and kills reach descendants; every child is reaped.
@Suite struct GroupTests {
    /// A shell that starts two grandchildren, prints their pids and waits.
    static let spawner = ProcessSpec(executable: "/bin/sh",
                                     arguments: ["-c", "sleep 300 & a=$!; sleep 300 & echo $a $!; wait"])

    static func pids(in text: String) -> [Int32] {
        text.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
    }

    @Test func timeoutKillsTheWholeGroup() async throws {
        // Long enough for the shell to start both and print their pids on a loaded machine.
        let result = try await Subprocess.run(Self.spawner, timeout: .seconds(10))
        #expect(result.timedOut)
        #expect(result.status == .signalled(signal: SIGKILL, coreDumped: false))
        let grandchildren = Self.pids(in: result.outputText)
        #expect(grandchildren.count == 2)
        #expect(await ProcessTable.waitUntilDead(grandchildren))
    }

    @Test func killReachesGrandchildren() async throws {
        let child = try await Subprocess.spawn(Self.spawner)
        var line: [UInt8] = []
        for await chunk in try #require(child.standardOutput) {
            line += chunk
            if line.contains(UInt8(ascii: "\n")) { break }
        }
        let grandchildren = Self.pids(in: String(decoding: line, as: UTF8.self))
        #expect(grandchildren.count == 2)
        #expect(grandchildren.allSatisfy(ProcessTable.isAlive))
        #expect(child.kill())
        #expect(await child.wait() == .signalled(signal: SIGKILL, coreDumped: false))
        #expect(await ProcessTable.waitUntilDead(grandchildren))
        #expect(!child.kill())   // reaped: nothing is sent any more
    }

    @Test func terminateSendsSIGTERMToTheGroup() async throws {
        let child = try await Subprocess.spawn(ProcessSpec(executable: "/bin/sleep", arguments: ["300"]))
        #expect(child.terminate())
        #expect(await child.wait() == .signalled(signal: SIGTERM, coreDumped: false))
    }

    @Test func killGroupOnExitLeavesNoDescendant() async throws {
        var spec = ProcessSpec(executable: "/bin/sh", arguments: ["-c", "sleep 300 & echo $!"])
        spec.killGroupOnExit = true
        spec.standardOutput = .pipe
        let child = try await Subprocess.spawn(spec)
        #expect(await child.wait() == .exited(code: 0))
        // The sleep still holds stdout until it is killed; the stream ends once it has been.
        let (bytes, _) = try await #require(child.standardOutput).collect()
        let grandchildren = Self.pids(in: String(decoding: bytes, as: UTF8.self))
        #expect(grandchildren.count == 1)
        #expect(await ProcessTable.waitUntilDead(grandchildren))
    }

    @Test func manyShortRunsLeaveNoZombies() async throws {
        let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
            for _ in 0..<60 {
                group.addTask {
                    let child = try await Subprocess.spawn(ProcessSpec(executable: "/bin/true"))
                    #expect(await child.wait() == .exited(code: 0))
                    return child.pid
                }
            }
            return try await group.reduce(into: [Int32]()) { $0.append($1) }
        }
        #expect(pids.count == 60)
        // wait() returns after the reap, so none of them may still be our child.
        let ours = getpid()
        let leftovers = pids.compactMap(ProcessTable.entry).filter { $0.parent == ours }
        #expect(leftovers.isEmpty)
        let zombies = ProcessTable.all().filter { $0.parent == ours && $0.state == "Z" && pids.contains($0.pid) }
        #expect(zombies.isEmpty)
    }

    @Test func childrenNobodyWaitsForAreReapedToo() async throws {
        var pids: [Int32] = []
        for _ in 0..<10 {
            let child = try await Subprocess.spawn(ProcessSpec(executable: "/bin/true"))
            pids.append(child.pid)
        }
        // Nobody waits; the monitor reaps on its own. Poll until none is our zombie.
        let ours = getpid()
        let clock = ContinuousClock(), end = clock.now + .seconds(60)
        var remaining = pids
        while clock.now < end {
            remaining = pids.filter { ProcessTable.entry($0)?.parent == ours }
            if remaining.isEmpty { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(remaining.isEmpty)
    }
}
