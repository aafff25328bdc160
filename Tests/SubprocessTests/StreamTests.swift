import Foundation
import Subprocess
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Pipes, exit statuses, environment, working directory and spawn errors.
@Suite struct StreamTests {
    @Test func stdinIsEchoedToStdout() async throws {
        let result = try await Subprocess.run(ProcessSpec(executable: "/bin/cat"), input: Array("hello\nworld\n".utf8))
        #expect(result.status == .exited(code: 0))
        #expect(result.outputText == "hello\nworld\n")
        #expect(result.standardError.isEmpty)
        #expect(!result.timedOut && !result.outputTruncated)
    }

    @Test func tenMegabytesGoThroughCatBothWaysAtOnce() async throws {
        // cat writes while we still write: only works if stdin and stdout move concurrently.
        let input = (0..<10_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        let result = try await Subprocess.run(ProcessSpec(executable: "/bin/cat"), input: input)
        #expect(result.status == .exited(code: 0))
        #expect(result.standardOutput.count == input.count)
        #expect(result.standardOutput == input)
    }

    @Test func largeOutputStreamsChunkByChunk() async throws {
        let child = try await Subprocess.spawn(ProcessSpec(executable: "/usr/bin/head", arguments: ["-c", "10000000", "/dev/zero"]))
        var total = 0, chunks = 0
        for await chunk in try #require(child.standardOutput) {
            total += chunk.count
            chunks += 1
            #expect(chunk.allSatisfy { $0 == 0 })
        }
        #expect(total == 10_000_000)
        #expect(chunks > 1)
        #expect(await child.wait() == .exited(code: 0))
    }

    @Test func outputBeyondTheLimitIsDroppedAndTheChildStillFinishes() async throws {
        let spec = ProcessSpec(executable: "/usr/bin/head", arguments: ["-c", "3000000", "/dev/zero"])
        let result = try await Subprocess.run(spec, outputLimit: 1000)
        #expect(result.status == .exited(code: 0))
        #expect(result.standardOutput.count == 1000)
        #expect(result.outputTruncated)
    }

    @Test func stderrIsSeparate() async throws {
        let spec = ProcessSpec(executable: "/bin/sh", arguments: ["-c", "echo out; echo err >&2"])
        let result = try await Subprocess.run(spec)
        #expect(result.outputText == "out\n")
        #expect(result.errorText == "err\n")
    }

    @Test(arguments: [0, 1, 7, 255])
    func exitCodesArePassedOn(code: Int32) async throws {
        let result = try await Subprocess.run(ProcessSpec(executable: "/bin/sh", arguments: ["-c", "exit \(code)"]))
        #expect(result.status == .exited(code: code))
        #expect(result.status.isSuccess == (code == 0))
    }

    @Test(arguments: [SIGTERM, SIGKILL, SIGUSR1])
    func deathBySignalIsReported(signal: Int32) async throws {
        let result = try await Subprocess.run(ProcessSpec(executable: "/bin/sh", arguments: ["-c", "kill -\(signal) $$"]))
        #expect(result.status == .signalled(signal: signal, coreDumped: false))
    }

    @Test func environmentIsExactlyWhatWasGiven() async throws {
        let given = ["A": "1", "B": "two words", "EMPTY": ""]
        let result = try await Subprocess.run(ProcessSpec(executable: "/usr/bin/env", environment: given))
        #expect(result.outputText.split(separator: "\n").map(String.init) == ["A=1", "B=two words", "EMPTY="])
        let bare = try await Subprocess.run(ProcessSpec(executable: "/usr/bin/env"))
        #expect(bare.outputText == "")
    }

    @Test func currentEnvironmentIsThisProcesss() {
        let ours = ProcessSpec.currentEnvironment
        #expect(ours == ProcessInfo.processInfo.environment)
    }

    @Test func workingDirectoryIsEntered() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("subprocess-cwd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await Subprocess.run(ProcessSpec(executable: "/bin/pwd", workingDirectory: directory.path))
        #expect(result.outputText == directory.resolvingSymlinksInPath().path + "\n")
    }

    @Test func missingExecutableIsATypedError() async throws {
        await #expect(throws: SubprocessError.spawnFailed(stage: .exec, errno: ENOENT, executable: "/nonexistent/program")) {
            _ = try await Subprocess.spawn(ProcessSpec(executable: "/nonexistent/program"))
        }
        let plain = FileManager.default.temporaryDirectory.appendingPathComponent("subprocess-plain-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: plain, contents: Data("text".utf8), attributes: [.posixPermissions: 0o644]))
        defer { try? FileManager.default.removeItem(atPath: plain) }
        await #expect(throws: SubprocessError.spawnFailed(stage: .exec, errno: EACCES, executable: plain)) {
            _ = try await Subprocess.spawn(ProcessSpec(executable: plain))
        }
    }

    @Test func missingWorkingDirectoryIsATypedError() async throws {
        await #expect(throws: SubprocessError.spawnFailed(stage: .workingDirectory, errno: ENOENT, executable: "/bin/true")) {
            _ = try await Subprocess.spawn(ProcessSpec(executable: "/bin/true", workingDirectory: "/nonexistent/dir"))
        }
    }

    @Test func contradictorySpecIsRefused() async throws {
        var spec = ProcessSpec(executable: "/bin/true")
        spec.processGroup = .inherit
        spec.killGroupOnExit = true
        await #expect(throws: SubprocessError.self) { _ = try await Subprocess.spawn(spec) }
        await #expect(throws: SubprocessError.self) {
            _ = try await Subprocess.spawn(ProcessSpec(executable: "/bin/echo", arguments: ["a\u{0}b"]))
        }
    }

    @Test func writingToAClosedStdinThrowsInsteadOfRaisingSIGPIPE() async throws {
        var spec = ProcessSpec(executable: "/bin/true")
        spec.standardInput = .pipe
        let child = try await Subprocess.spawn(spec)
        #expect(await child.wait() == .exited(code: 0))
        let stdin = try #require(child.standardInput)
        await #expect(throws: SubprocessError.brokenPipe) {
            // More than a pipe holds, so the write cannot just sit in the buffer.
            try await stdin.write([UInt8](repeating: 1, count: 1 << 20))
        }
    }

    @Test func standardStreamsCanBeFiles() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("subprocess-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in").path, output = directory.appendingPathComponent("out").path
        try Data("from a file\n".utf8).write(to: URL(fileURLWithPath: input))
        var spec = ProcessSpec(executable: "/bin/cat")
        spec.standardInput = .file(path: input)
        spec.standardOutput = .file(path: output)
        let child = try await Subprocess.spawn(spec)
        #expect(child.standardOutput == nil)
        #expect(await child.wait() == .exited(code: 0))
        spec.standardOutput = .file(path: output, append: true)
        #expect(try await Subprocess.spawn(spec).wait() == .exited(code: 0))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "from a file\nfrom a file\n")
    }
}
