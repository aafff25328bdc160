import Foundation
import Subprocess
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Each resource limit, hit by a child that tries to exceed it.
@Suite struct LimitTests {
    static let python = "/usr/bin/python3"

    @Test func cpuLimitKillsABusyLoop() async throws {
        var spec = ProcessSpec(executable: "/bin/sh", arguments: ["-c", "while :; do :; done"])
        spec.limits.cpuSeconds = 1
        // The timeout only bounds the test if the limit failed: it must not be what ends it.
        let result = try await Subprocess.run(spec, timeout: .seconds(300))
        #expect(!result.timedOut)
        #expect(result.status == .signalled(signal: SIGXCPU, coreDumped: false)
                || result.status == .signalled(signal: SIGKILL, coreDumped: false))
    }

    @Test func addressSpaceLimitRefusesALargeAllocation() async throws {
        let script = """
        small = bytearray(16 << 20)
        try:
            big = bytearray(512 << 20)
            print("allocated")
        except MemoryError:
            print("refused")
        """
        var spec = ProcessSpec(executable: Self.python, arguments: ["-c", script])
        spec.limits.addressSpaceBytes = 256 << 20
        let result = try await Subprocess.run(spec, timeout: .seconds(300))
        #expect(result.status == .exited(code: 0), "\(result.errorText)")
        #expect(result.outputText == "refused\n")
    }

    @Test func fileSizeLimitStopsAWriterWithSIGXFSZ() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("subprocess-fsize-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("big").path
        var spec = ProcessSpec(executable: "/usr/bin/head", arguments: ["-c", "3000000", "/dev/zero"])
        spec.standardOutput = .file(path: file)
        spec.limits.fileSizeBytes = 1_000_000
        let child = try await Subprocess.spawn(spec)
        #expect(await child.wait() == .signalled(signal: SIGXFSZ, coreDumped: false))
        let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int
        #expect(size == 1_000_000)
    }

    @Test func openFilesLimitCapsDescriptors() async throws {
        let script = """
        import errno
        files = []
        try:
            while True:
                files.append(open("/dev/null"))
        except OSError as error:
            print(len(files), errno.errorcode[error.errno])
        """
        var spec = ProcessSpec(executable: Self.python, arguments: ["-c", script])
        spec.limits.openFiles = 16
        let result = try await Subprocess.run(spec, timeout: .seconds(300))
        #expect(result.status == .exited(code: 0), "\(result.errorText)")
        let fields = result.outputText.split(whereSeparator: \.isWhitespace)
        #expect(fields.count == 2)
        let opened = fields.first.flatMap { Int($0) } ?? -1
        #expect(opened > 0 && opened <= 13)   // 16 minus stdin, stdout, stderr
        #expect(fields.last == "EMFILE")
    }

    @Test func processLimitBoundsAForkBomb() async throws {
        // RLIMIT_NPROC counts the real uid's processes system-wide and root is exempt, so
        // as root the bomb runs as a uid of its own that nothing else uses.
        let uid = UInt32(190_000 + Int(getpid()) % 10_000)
        let isRoot = geteuid() == 0
        let limit = isRoot ? 8 : ProcessTable.alive(ownedBy: geteuid()).count + 8
        let script = """
        import os, time
        started = 0
        try:
            for _ in range(\(limit + 40)):
                if os.fork() == 0:
                    time.sleep(120)
                    os._exit(0)
                started += 1
            print("unbounded", started)
        except OSError as error:
            print("refused", started)
        """
        var spec = ProcessSpec(executable: Self.python, arguments: ["-c", script], workingDirectory: "/")
        spec.limits.processes = limit
        spec.killGroupOnExit = true
        if isRoot { spec.user = UserIdentity(uid: uid) }
        let result = try await Subprocess.run(spec, timeout: .seconds(300))
        #expect(result.status == .exited(code: 0), "\(result.errorText)")
        let fields = result.outputText.split(whereSeparator: \.isWhitespace)
        #expect(fields.first == "refused")
        #expect((fields.last.flatMap { Int($0) } ?? .max) < limit)
        if isRoot {
            // The group was killed when the bomb's parent exited: nothing of that uid lives.
            let survivors = ProcessTable.alive(ownedBy: uid).map(\.pid)
            #expect(await ProcessTable.waitUntilDead(survivors))
        }
    }
}
