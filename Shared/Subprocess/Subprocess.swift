#if canImport(Glibc)
import Glibc
#endif

/// A running (or finished) child process started from a `ProcessSpec`.
///
/// ```swift
/// var spec = ProcessSpec(executable: "/usr/bin/python3", arguments: ["-c", "print(1)"])
/// spec.limits.cpuSeconds = 5
/// let result = try await Subprocess.run(spec, timeout: .seconds(10))
/// // or: let child = try await Subprocess.spawn(spec); for await chunk in child.standardOutput! { … }
/// ```
///
/// Every child is reaped by the process monitor as soon as it exits, whether or not
/// anyone calls `wait()`, so none is left a zombie. Signals are never sent after the child
/// has been reaped, so they cannot reach an unrelated process that got the same pid.
public final class Subprocess: Sendable {
    /// The child's process id (and its process group id unless the spec kept this process's group).
    public let pid: Int32
    /// Its stdin when the spec asked for a pipe.
    public let standardInput: SubprocessInput?
    /// Its stdout when the spec asked for a pipe.
    public let standardOutput: SubprocessOutput?
    /// Its stderr when the spec asked for a pipe.
    public let standardError: SubprocessOutput?
    /// Whether the child leads a process group of its own (`terminate`/`kill` reach the group).
    public let leadsProcessGroup: Bool
    private let watcher: ExitWatcher

    private init(pid: Int32, input: SubprocessInput?, output: SubprocessOutput?, error: SubprocessOutput?,
                 leadsProcessGroup: Bool, watcher: ExitWatcher) {
        self.pid = pid
        standardInput = input
        standardOutput = output
        standardError = error
        self.leadsProcessGroup = leadsProcessGroup
        self.watcher = watcher
    }

    /// Starts a child. Throws `SubprocessError` (typed in every case): `spawnFailed` with
    /// the stage and `errno` when the child could not be set up or `execve` failed (a
    /// missing executable is `exec`/`ENOENT`, never a child exiting 127),
    /// `namespacesRefused` when the kernel will not make the namespaces, `systemCall`
    /// when a file for a standard stream cannot be opened, `invalidSpec`.
    public static func spawn(_ spec: ProcessSpec) async throws -> Subprocess {
        try spec.validate()
        let request = SpawnRequest(spec: spec)
        let monitor = ProcessMonitor.shared
        return try await withCheckedThrowingContinuation { (done: CheckedContinuation<Subprocess, any Error>) in
            monitor.execute {
                do {
                    let launched = try request.launch()
                    let leads = spec.processGroup != .inherit
                    let watcher = ExitWatcher(pid: launched.pid, pidfd: launched.pidfd, leadsGroup: leads,
                                              killGroupOnExit: spec.killGroupOnExit, monitor: monitor)
                    watcher.start()
                    let input = launched.stdinWriter >= 0 ? PipeWriter(fd: launched.stdinWriter, monitor: monitor) : nil
                    let output = launched.stdoutReader >= 0 ? PipeReader(fd: launched.stdoutReader, monitor: monitor) : nil
                    let error = launched.stderrReader >= 0 ? PipeReader(fd: launched.stderrReader, monitor: monitor) : nil
                    input?.start()
                    output?.start()
                    error?.start()
                    done.resume(returning: Subprocess(
                        pid: launched.pid,
                        input: input.map(SubprocessInput.init(writer:)),
                        output: output.map(SubprocessOutput.init(reader:)),
                        error: error.map(SubprocessOutput.init(reader:)),
                        leadsProcessGroup: leads, watcher: watcher))
                } catch {
                    done.resume(throwing: error)
                }
            }
        }
    }

    /// Waits for the child to exit (it has been reaped when this returns).
    public func wait() async -> ExitStatus { await watcher.wait() }

    /// The exit status if the child has exited, else nil (does not wait).
    public var exitStatus: ExitStatus? { watcher.status }

    /// Sends SIGTERM to the child's process group (or to the child alone when it has
    /// none). False when the child has already been reaped.
    @discardableResult
    public func terminate() -> Bool { signal(SIGTERM) }

    /// Sends SIGKILL to the child's process group (or to the child alone when it has
    /// none). False when the child has already been reaped.
    @discardableResult
    public func kill() -> Bool { signal(SIGKILL) }

    /// Sends `signal` to the child's group (`toGroup`, when it leads one) or to the child
    /// alone. False when nothing was sent: the child has been reaped, or `kill` failed.
    @discardableResult
    public func signal(_ signal: Int32, toGroup: Bool = true) -> Bool {
        watcher.send(signal, toGroup: toGroup)
    }
}
