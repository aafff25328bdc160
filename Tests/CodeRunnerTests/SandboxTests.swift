import Contracts
import Foundation
import HTTPCore
import ServiceKit
import Testing
@testable import CodeRunner

/// Escapes tried from a kernel, each contained, and each followed by another user's
/// execute that still works. The kernels' bounds are small here (32 processes, 512 MiB
/// beyond the libraries, 16 MiB files) so the tests stay safe on a shared 2-core machine.
/// Uid separation and namespaces need root (the service drops each kernel to a uid of its
/// own only then); run as another user these tests check what holds without it.
@Suite(.serialized) struct SandboxTests {
    static let isRoot = geteuid() == 0

    /// Another user's execute works right after an escape attempt.
    static func stillServes(_ service: CodeRunnerFixture) async throws {
        let other = try await service.execute("print(6 * 7, len(df))", as: CodeRunnerFixture.carol)
        #expect(other.isSuccessful)
        #expect(other.output.contains("42 \(SampleDataset.rows)"))
    }

    @Test(.enabled(if: isRoot)) func kernelsRunAsTheirOwnUidWithoutNetworkOrSecrets() async throws {
        let service = try await CodeRunnerFixture.start()
        defer { Task { await service.close() } }
        let probe = try await service.execute("""
            import os
            print("uid", os.getuid(), os.getgid(), os.getgroups())
            print("cwd", os.getcwd(), oct(os.stat(".").st_mode & 0o777))
            print("env", sorted(os.environ))
            import socket
            print("nics", sorted(name for _, name in socket.if_nameindex()))
            """)
        #expect(probe.isSuccessful, "\(probe.output)")
        let words = try #require(probe.output.split(separator: "\n").first { $0.hasPrefix("uid ") }).split(separator: " ")
        let uid = try #require(Int(words[1]))
        let base = service.options.kernelUIDBase
        #expect((base..<(base + service.options.maxKernels)).contains(uid))
        #expect(words[2] == words[1])
        #expect(words[3] == "[]")
        #expect(probe.output.contains("0o700"))
        #expect(!probe.output.contains("INTERNAL_TOKEN"))
        #expect(!probe.output.contains("test-internal-token"))
        #expect(probe.output.contains("nics ['lo']"))
        try await Self.stillServes(service)
    }

    @Test(.enabled(if: isRoot)) func serviceDataOtherSessionsAndShadowAreUnreadable() async throws {
        let service = try await CodeRunnerFixture.start()
        defer { Task { await service.close() } }
        let owner = try await service.execute("""
            import os
            open("secret.txt", "w").write("alice-secret")
            print("where", os.getcwd(), os.getpid())
            """, session: "victim")
        let words = try #require(owner.output.split(separator: "\n").first { $0.hasPrefix("where ") }).split(separator: " ")
        let (directory, pid) = (String(words[1]), String(words[2]))
        let database = service.options.dataDirectory.appendingPathComponent("code-runner.sqlite").path
        let attempts = [
            ("service database", "open(\(Self.quoted(database)), 'rb').read(16)"),
            ("service data dir", "os.listdir(\(Self.quoted(service.options.dataDirectory.path)))"),
            ("other session file", "open(\(Self.quoted(directory + "/secret.txt"))).read()"),
            ("other session dir", "os.listdir(\(Self.quoted(directory)))"),
            ("other cwd via proc", "os.listdir('/proc/\(pid)/cwd')"),
            ("other environ via proc", "open('/proc/\(pid)/environ').read()"),
            ("shadow", "open('/etc/shadow').read()"),
            ("kernel root listing", "os.listdir(\(Self.quoted(service.options.workDirectory.path)))"),
        ]
        for (label, expression) in attempts {
            let result = try await service.execute("import os\ntry:\n    print('READ', \(expression))\nexcept Exception as error:\n    print('DENIED', type(error).__name__)",
                                                   as: CodeRunnerFixture.bob)
            #expect(result.output.contains("DENIED"), "\(label): \(result.output)")
            #expect(!result.output.contains("READ"), "\(label): \(result.output)")
            #expect(!result.output.contains("alice-secret"), "\(label)")
        }
        try await Self.stillServes(service)
    }

    @Test(.enabled(if: isRoot)) func forkBombIsBoundedAndCleanedUp() async throws {
        let service = try await CodeRunnerFixture.start()
        defer { Task { await service.close() } }
        let bomb = try await service.execute("""
            import os, time
            children = 0
            try:
                for _ in range(500):
                    pid = os.fork()
                    if pid == 0:
                        time.sleep(20)
                        os._exit(0)
                    children += 1
            except OSError as error:
                print("stopped", type(error).__name__)
            print("children", children)
            """, as: CodeRunnerFixture.bob)
        #expect(bomb.output.contains("stopped BlockingIOError"), "\(bomb.output)")
        let count = Int(bomb.output.components(separatedBy: "children ").last?.prefix { $0.isNumber } ?? "") ?? 999
        #expect(count < service.options.kernelProcesses)
        // Resetting stops the kernel: its group and every process of its uid are killed.
        let reset = await service.app.call(.POST, "/reset-session", identity: CodeRunnerFixture.bob)
        #expect(reset.status == 200)
        let after = try await service.execute("import os\nprint('forks', os.fork() > 0)", as: CodeRunnerFixture.bob)
        #expect(after.output.contains("forks True"))
        try await Self.stillServes(service)
    }

    @Test func memoryBombFailsTheBlockNotTheService() async throws {
        let service = try await CodeRunnerFixture.start()
        defer { Task { await service.close() } }
        let bomb = try await service.execute("""
            blocks = []
            for _ in range(64):
                blocks.append(bytearray(64 * 1024 * 1024))
            """, as: CodeRunnerFixture.bob)
        #expect(!bomb.isSuccessful)
        #expect(bomb.output.contains("MemoryError"), "\(bomb.output)")
        let again = try await service.execute("blocks = None\nprint('alive', len(df))", as: CodeRunnerFixture.bob)
        #expect(again.output.contains("alive \(SampleDataset.rows)"))
        try await Self.stillServes(service)
    }

    @Test func infiniteLoopTimesOutAndTheNextExecuteGetsAFreshKernel() async throws {
        let service = try await CodeRunnerFixture.start { $0.executeTimeout = .seconds(2) }
        defer { Task { await service.close() } }
        _ = try await service.execute("state = 'before'", as: CodeRunnerFixture.bob)
        let loop = try await service.execute("while True:\n    pass", as: CodeRunnerFixture.bob)
        #expect(loop.timedOut)
        #expect(!loop.isSuccessful)
        #expect(loop.output.contains("ran longer than 2 s"))
        let fresh = try await service.execute("print('state' in globals(), len(df))", as: CodeRunnerFixture.bob)
        #expect(fresh.output.contains("False \(SampleDataset.rows)"))
        try await Self.stillServes(service)
    }

    @Test func hugeFileStopsAtTheFileSizeLimit() async throws {
        let service = try await CodeRunnerFixture.start()
        defer { Task { await service.close() } }
        let write = try await service.execute("""
            import os
            chunk = b"x" * (1 << 20)
            written = 0
            with open("big.bin", "wb") as handle:
                for _ in range(2048):   # 2 GiB if nothing stopped it
                    handle.write(chunk)
                    handle.flush()
                    written += 1
            """, as: CodeRunnerFixture.bob)
        #expect(!write.isSuccessful)
        #expect(write.output.contains("File too large"), "\(write.output)")
        let size = try await service.execute("import os\nprint('size', os.path.getsize('big.bin') <= \(service.options.kernelFileBytes))",
                                             as: CodeRunnerFixture.bob)
        #expect(size.output.contains("size True"))
        try await Self.stillServes(service)
    }

    @Test(.enabled(if: isRoot)) func socketsToServicesAndKillingTheParentFail() async throws {
        // A service listening on loopback, as the gateway and the services do.
        let listener = try FakeChatServer([.text("never")])
        let service = try await CodeRunnerFixture.start()
        defer { Task { await service.close(); await listener.stop() } }
        let network = try await service.execute("""
            import socket
            for host, port in [("127.0.0.1", \(listener.server.port)), ("127.0.0.1", 8080), ("127.0.0.1", 8085)]:
                try:
                    socket.create_connection((host, port), timeout=2).close()
                    print("CONNECTED", port)
                except OSError as error:
                    print("refused", port, type(error).__name__)
            """, as: CodeRunnerFixture.bob)
        #expect(!network.output.contains("CONNECTED"), "\(network.output)")
        #expect(network.output.contains("refused \(listener.server.port)"))
        #expect(listener.received.isEmpty)
        let parent = try await service.execute("""
            import os, signal
            for target in (os.getppid(), 1, \(getpid())):
                try:
                    os.kill(target, signal.SIGKILL)
                    print("KILLED", target)
                except OSError as error:
                    print("denied", target, type(error).__name__)
            """, as: CodeRunnerFixture.bob)
        #expect(!parent.output.contains("KILLED"), "\(parent.output)")
        // Signalling every process it may (-1) reaches only its own uid's; killing itself is a
        // 200 that says the kernel died.
        let everyone = try await service.execute("import os, signal\ntry:\n    os.kill(-1, signal.SIGTERM)\nexcept OSError as e:\n    print(type(e).__name__)\nprint('survived')",
                                                 as: CodeRunnerFixture.bob)
        #expect(everyone.output.contains("survived"))
        let suicide = try await service.execute("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)", as: CodeRunnerFixture.bob)
        #expect(!suicide.isSuccessful)
        #expect(suicide.output.contains("KernelDied"))
        try await Self.stillServes(service)
        let back = try await service.execute("print('back', len(df))", as: CodeRunnerFixture.bob)
        #expect(back.output.contains("back \(SampleDataset.rows)"))
    }

    @Test func aCrashingKernelNeverTakesTheServiceDown() async throws {
        let service = try await CodeRunnerFixture.start()
        defer { Task { await service.close() } }
        let crash = try await service.execute("import ctypes\nctypes.string_at(0)", as: CodeRunnerFixture.bob)
        #expect(!crash.isSuccessful)
        #expect(crash.output.contains("KernelDied"))
        let exit = try await service.execute("import os\nos._exit(3)", as: CodeRunnerFixture.bob)
        #expect(exit.output.contains("KernelDied"))
        #expect(exit.output.contains("exited(3)"))
        let garbage = try await service.execute("import os\nos.write(4, b'\\xff\\xff\\xff\\xffjunk')\nimport time\ntime.sleep(1)",
                                                as: CodeRunnerFixture.bob)
        #expect(!garbage.isSuccessful)
        try await Self.stillServes(service)
    }

    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
