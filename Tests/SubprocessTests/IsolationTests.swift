import Foundation
import Subprocess
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What the child inherits and what it is cut off from: signals, descriptors, privileges,
/// identity, namespaces.
@Suite struct IsolationTests {
    static let isRoot = geteuid() == 0

    /// The `Name:\tvalue` lines of /proc/self/status that the child read about itself.
    static func statusFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return fields
    }

    @Test func childStartsWithNoSignalsBlockedOrIgnored() async throws {
        // This process ignores SIGPIPE (as servers do) and the spawning thread blocks every
        // signal; the program must see neither.
        signal(SIGPIPE, SIG_IGN)
        let result = try await Subprocess.run(ProcessSpec(executable: "/bin/cat", arguments: ["/proc/self/status"]))
        let fields = Self.statusFields(result.outputText)
        #expect(fields["SigBlk"] == "0000000000000000")
        #expect(fields["SigIgn"] == "0000000000000000")
        #expect(fields["NoNewPrivs"] == "1")
    }

    @Test func noNewPrivilegesCanBeLeftOff() async throws {
        var spec = ProcessSpec(executable: "/bin/cat", arguments: ["/proc/self/status"])
        spec.noNewPrivileges = false
        let result = try await Subprocess.run(spec)
        #expect(Self.statusFields(result.outputText)["NoNewPrivs"] == "0")
    }

    @Test func parentDeathSignalIsSetUnlessAskedNotTo() async throws {
        // PR_GET_PDEATHSIG (2) through ctypes: the signal the child gets when we die.
        let script = """
        import ctypes
        value = ctypes.c_int(-1)
        ctypes.CDLL(None, use_errno=True).prctl(2, ctypes.byref(value), 0, 0, 0)
        print(value.value)
        """
        var spec = ProcessSpec(executable: "/usr/bin/python3", arguments: ["-c", script])
        if Self.isRoot { spec.user = UserIdentity(uid: 65534) }   // set after the uid change, so it survives it
        #expect(try await Subprocess.run(spec).outputText == "\(SIGKILL)\n")
        spec.killOnParentDeath = false
        #expect(try await Subprocess.run(spec).outputText == "0\n")
    }

    @Test func onlyTheStandardDescriptorsAreInherited() async throws {
        // A descriptor of ours without close-on-exec must not reach the child.
        let leaked = open("/dev/null", O_RDONLY)
        defer { close(leaked) }
        #expect(leaked > 2)
        let result = try await Subprocess.run(ProcessSpec(executable: "/bin/ls", arguments: ["/proc/self/fd"]))
        let descriptors = Set(result.outputText.split(separator: "\n").compactMap { Int32($0) })
        // ls itself opens one descriptor to list the directory.
        #expect(descriptors.isSubset(of: [0, 1, 2, 3]), "\(descriptors)")
        #expect(descriptors.isSuperset(of: [0, 1, 2]))
    }

    @Test func coreDumpsAreOffByDefault() async throws {
        let result = try await Subprocess.run(ProcessSpec(executable: "/bin/sh", arguments: ["-c", "ulimit -c"]))
        #expect(result.outputText == "0\n")
    }

    @Test func newSessionMakesTheChildASessionLeader() async throws {
        var spec = ProcessSpec(executable: "/usr/bin/python3", arguments: ["-c", "import os; print(os.getsid(0) == os.getpid(), os.getpgid(0) == os.getpid())"])
        spec.processGroup = .newSession
        #expect(try await Subprocess.run(spec).outputText == "True True\n")
        spec.processGroup = .newGroup
        #expect(try await Subprocess.run(spec).outputText == "False True\n")
    }

    @Test func uidDropWorksAsRootAndIsRefusedOtherwise() async throws {
        var spec = ProcessSpec(executable: "/usr/bin/id")
        spec.user = UserIdentity(uid: 65534, gid: 65534)
        if Self.isRoot {
            spec.arguments = ["-u"]
            #expect(try await Subprocess.run(spec).outputText == "65534\n")
            spec.arguments = ["-G"]
            #expect(try await Subprocess.run(spec).outputText == "65534\n")   // root's groups dropped
            spec.user = UserIdentity(uid: 65534, gid: 65534, supplementaryGroups: [100])
            #expect(try await Subprocess.run(spec).outputText == "65534 100\n")
        } else {
            await #expect(throws: SubprocessError.spawnFailed(stage: .setgroups, errno: EPERM, executable: "/usr/bin/id")) {
                _ = try await Subprocess.spawn(spec)
            }
        }
    }

    @Test func workingDirectoryIsEnteredWithTheChildsRights() async throws {
        guard Self.isRoot else { return }
        // /root is 0700: root may enter it, nobody may not.
        var spec = ProcessSpec(executable: "/bin/pwd", workingDirectory: "/root")
        spec.user = UserIdentity(uid: 65534)
        await #expect(throws: SubprocessError.spawnFailed(stage: .workingDirectory, errno: EACCES, executable: "/bin/pwd")) {
            _ = try await Subprocess.spawn(spec)
        }
    }

    /// Runs `spec` in `namespaces`; the result, or nil after checking that the refusal is
    /// the typed error (the machine does not allow them).
    static func runIsolated(_ spec: ProcessSpec, _ namespaces: Namespaces) async throws -> SubprocessResult? {
        var spec = spec
        spec.namespaces = namespaces
        do {
            return try await Subprocess.run(spec, timeout: .seconds(300))
        } catch let error as SubprocessError {
            guard case .namespacesRefused(let refused, let code) = error else { throw error }
            #expect(refused == namespaces)
            #expect([EPERM, EINVAL, ENOSPC, EUSERS].contains(code))
            return nil
        }
    }

    /// Interface names in /proc/net/dev (as the child sees it).
    static func interfaces(_ text: String) -> [String] {
        text.split(separator: "\n").dropFirst(2).compactMap { $0.split(separator: ":").first?.trimmingCharacters(in: .whitespaces) }
    }

    @Test(arguments: [Namespaces.network, [.user, .network]])
    func networkNamespaceHasOnlyLoopback(namespaces: Namespaces) async throws {
        let spec = ProcessSpec(executable: "/bin/cat", arguments: ["/proc/net/dev"])
        // The same reading outside, to show the parser finds interfaces at all.
        let outside = Self.interfaces(try await Subprocess.run(spec).outputText)
        guard let inside = try await Self.runIsolated(spec, namespaces) else { return }
        #expect(inside.status == .exited(code: 0))
        #expect(Self.interfaces(inside.outputText) == ["lo"])
        #expect(outside.contains("lo"))
    }

    @Test func networkNamespaceRefusesConnections() async throws {
        let script = """
        import socket
        try:
            socket.create_connection(("127.0.0.1", 9), timeout=5)
            print("connected")
        except OSError as error:
            print(type(error).__name__)
        """
        let spec = ProcessSpec(executable: "/usr/bin/python3", arguments: ["-c", script])
        guard let result = try await Self.runIsolated(spec, .network) else { return }
        // Loopback is down in a fresh namespace: not even 127.0.0.1 is reachable.
        #expect(result.outputText == "OSError\n" || result.outputText == "ConnectionRefusedError\n")
        #expect(result.outputText != "connected\n")
    }

    @Test func pidNamespaceMakesTheChildPidOne() async throws {
        let spec = ProcessSpec(executable: "/bin/sh", arguments: ["-c", "echo $$"])
        guard let result = try await Self.runIsolated(spec, .pid) else { return }
        #expect(result.outputText == "1\n")
    }

    @Test func userNamespaceKeepsTheUidAndGivesCapabilitiesOnlyInside() async throws {
        let spec = ProcessSpec(executable: "/bin/cat", arguments: ["/proc/self/status", "/proc/self/uid_map"])
        guard let result = try await Self.runIsolated(spec, [.user]) else { return }
        let fields = Self.statusFields(result.outputText)
        let uid = geteuid()
        #expect(fields["Uid"]?.split(separator: "\t").first == "\(uid)")
        let mapLine = result.outputText.split(separator: "\n").last?.split(whereSeparator: \.isWhitespace).map(String.init)
        #expect(mapLine == ["\(uid)", "\(uid)", "1"])
    }

    @Test func killingAPidNamespaceLeaderLeavesNothing() async throws {
        let spec = ProcessSpec(executable: "/bin/sh", arguments: ["-c", "sleep 300 & sleep 300 & echo ready; wait"])
        var isolated = spec
        isolated.namespaces = .pid
        let child: Subprocess
        do {
            child = try await Subprocess.spawn(isolated)
        } catch SubprocessError.namespacesRefused {
            return
        }
        var seen: [UInt8] = []
        for await chunk in try #require(child.standardOutput) {
            seen += chunk
            if seen.contains(UInt8(ascii: "\n")) { break }
        }
        // The sleeps' pids as this namespace sees them: children of the shell.
        let grandchildren = ProcessTable.all().filter { $0.parent == child.pid }.map(\.pid)
        #expect(grandchildren.count == 2)
        #expect(child.signal(SIGKILL, toGroup: false))   // the leader alone
        #expect(await child.wait() == .signalled(signal: SIGKILL, coreDumped: false))
        // The kernel killed and reaped the rest of the namespace: gone, not even zombies.
        #expect(await ProcessTable.waitUntilDead(grandchildren))
        #expect(grandchildren.allSatisfy { ProcessTable.entry($0) == nil })
    }
}
