#if canImport(Glibc)
import Glibc
#endif

extension Subprocess {
    /// Runs a child to the end and collects its output: stdout and stderr are pipes
    /// (whatever the spec says), stdin is fed `input` and then closed (`/dev/null` when
    /// nil), and a spec that kept this process's group gets a group of its own, so the
    /// timeout reaches everything the child started.
    ///
    /// The run is over when the child has exited and both pipes are closed. If that has
    /// not happened `timeout` after the start, the whole process group is killed, pipes
    /// still held open (by a descendant that left the group) are closed, and the result
    /// says `timedOut`. Output beyond `outputLimit` bytes per stream is read and dropped
    /// (`outputTruncated`), so a chatty child never blocks. Cancelling the calling task
    /// kills the group the same way (without `timedOut`).
    public static func run(_ spec: ProcessSpec, input: [UInt8]? = nil, outputLimit: Int = 16 << 20,
                           timeout: Duration? = nil) async throws -> SubprocessResult {
        var spec = spec
        spec.standardInput = input == nil ? .null : .pipe
        spec.standardOutput = .pipe
        spec.standardError = .pipe
        if spec.processGroup == .inherit { spec.processGroup = .newGroup }
        let child = try await spawn(spec)
        return await child.collect(input: input ?? [], outputLimit: outputLimit, timeout: timeout)
    }

    /// One finished part of a run.
    private enum RunEvent: Sendable {
        case inputDone
        case output([UInt8], truncated: Bool)
        case error([UInt8], truncated: Bool)
        case exited(ExitStatus)
        case deadline
        case cancelled
    }

    /// Feeds stdin, drains both outputs and waits, killing the group at the deadline.
    private func collect(input: [UInt8], outputLimit: Int, timeout: Duration?) async -> SubprocessResult {
        var result = SubprocessResult(status: .exited(code: -1), standardOutput: [], standardError: [],
                                      outputTruncated: false, timedOut: false)
        await withTaskCancellationHandler {
        await withTaskGroup(of: RunEvent.self) { group in
            if let stdin = standardInput {
                group.addTask {
                    try? await stdin.write(input)
                    stdin.close()
                    return .inputDone
                }
            }
            if let stdout = standardOutput {
                group.addTask {
                    let (bytes, truncated) = await stdout.collect(upTo: outputLimit)
                    return .output(bytes, truncated: truncated)
                }
            }
            if let stderr = standardError {
                group.addTask {
                    let (bytes, truncated) = await stderr.collect(upTo: outputLimit)
                    return .error(bytes, truncated: truncated)
                }
            }
            group.addTask { [self] in .exited(await wait()) }
            var remaining = 1 + (standardInput == nil ? 0 : 1) + (standardOutput == nil ? 0 : 1) + (standardError == nil ? 0 : 1)
            if let timeout {
                group.addTask {
                    do { try await Task.sleep(for: timeout) } catch { return .cancelled }
                    return .deadline
                }
            }
            var stopped = false
            while remaining > 0, let event = await group.next() {
                switch event {
                case .inputDone:
                    remaining -= 1
                case .output(let bytes, let truncated):
                    result.standardOutput = bytes
                    result.outputTruncated = result.outputTruncated || truncated
                    remaining -= 1
                case .error(let bytes, let truncated):
                    result.standardError = bytes
                    result.outputTruncated = result.outputTruncated || truncated
                    remaining -= 1
                case .exited(let status):
                    result.status = status
                    remaining -= 1
                    if stopped { abandonPipes() }
                case .deadline, .cancelled:
                    // The deadline, or the calling task was cancelled (only then does the
                    // sleep end early while the run is still going).
                    if case .deadline = event { result.timedOut = true }
                    stopped = true
                    kill()
                    // Already exited, but a descendant outside the group holds a pipe.
                    if exitStatus != nil { abandonPipes() }
                }
            }
            group.cancelAll()
        }
        } onCancel: { [self] in kill() }
        return result
    }

    /// Closes this end of every pipe, ending the streams and failing the stdin write.
    private func abandonPipes() {
        standardInput?.abandon()
        standardOutput?.close()
        standardError?.close()
    }
}
