#if canImport(Glibc)
import CLinux
import Glibc
#endif

/// A `ProcessSpec` turned into the C request the child reads between `clone` and
/// `execve`: every string copied to C memory up front, since the child may not allocate.
/// Owned by one spawn; `launch()` runs on the monitor thread and frees it all.
final class SpawnRequest: @unchecked Sendable {
    /// What `launch()` made: the child and this process's ends of its pipes (-1 where none).
    struct Launched {
        var pid: pid_t
        var pidfd: Int32
        var stdinWriter: Int32
        var stdoutReader: Int32
        var stderrReader: Int32
    }

    let spec: ProcessSpec
    private var cStrings: [UnsafeMutablePointer<CChar>] = []
    private let argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    private let envp: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    private let groups: UnsafeMutablePointer<UInt32>
    private var request = clinux_spawn_request()

    /// Prepares `spec` (already validated).
    init(spec: ProcessSpec) {
        self.spec = spec
        let arguments = [spec.argument0 ?? spec.executable] + spec.arguments
        let environment = spec.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        argv = .allocate(capacity: arguments.count + 1)
        envp = .allocate(capacity: environment.count + 1)
        let groupList = spec.user?.supplementaryGroups ?? []
        groups = .allocate(capacity: max(1, groupList.count))
        for (index, text) in arguments.enumerated() { argv[index] = copy(text) }
        argv[arguments.count] = nil
        for (index, text) in environment.enumerated() { envp[index] = copy(text) }
        envp[environment.count] = nil
        for (index, group) in groupList.enumerated() { groups[index] = group }

        request.path = UnsafePointer(copy(spec.executable))
        request.argv = UnsafePointer(argv)
        request.envp = UnsafePointer(envp)
        request.working_directory = spec.workingDirectory.map { UnsafePointer(copy($0)) }
        request.process_group = spec.processGroup == .newSession ? 2 : spec.processGroup == .newGroup ? 1 : 0
        let limits = spec.limits
        request.limit_cpu_soft = limits.cpuSeconds.map { Int64($0) } ?? -1
        request.limit_cpu_hard = limits.cpuSeconds.map { Int64($0) + 1 } ?? -1
        request.limit_address_space = limits.addressSpaceBytes.map { Int64($0) } ?? -1
        request.limit_processes = limits.processes.map { Int64($0) } ?? -1
        request.limit_open_files = limits.openFiles.map { Int64($0) } ?? -1
        request.limit_file_size = limits.fileSizeBytes.map { Int64($0) } ?? -1
        request.limit_core = limits.coreFileBytes.map { Int64($0) } ?? -1
        if let user = spec.user {
            request.change_identity = 1
            request.uid = user.uid
            request.gid = user.gid
            request.groups = UnsafePointer(groups)
            request.group_count = Int32(groupList.count)
        }
        request.no_new_privs = spec.noNewPrivileges ? 1 : 0
        request.death_signal = spec.killOnParentDeath ? SIGKILL : 0
        // In a new pid namespace the child sees no parent (getppid() is 0): skip the check.
        request.parent_pid = spec.namespaces.contains(.pid) ? 0 : getpid()
        request.clone_flags = spec.namespaces.cloneFlags
        if spec.namespaces.contains(.user) {
            request.uid_map = UnsafePointer(copy("\(geteuid()) \(geteuid()) 1\n"))
            request.gid_map = UnsafePointer(copy("\(getegid()) \(getegid()) 1\n"))
        }
    }

    deinit {
        for pointer in cStrings { free(pointer) }
        argv.deallocate()
        envp.deallocate()
        groups.deallocate()
    }

    private func copy(_ text: String) -> UnsafeMutablePointer<CChar> {
        let pointer = strdup(text)!
        cStrings.append(pointer)
        return pointer
    }

    /// Opens the standard streams, starts the child and closes the child's ends here.
    func launch() throws(SubprocessError) -> Launched {
        var opened: [Int32] = []          // every descriptor made here
        func cleanUp(_ keep: Set<Int32>) {
            for fd in opened where !keep.contains(fd) { close(fd) }
        }
        var parentEnds: [Int32] = [-1, -1, -1]
        var sources: [Int32] = [-1, -1, -1]
        let streams = [spec.standardInput, spec.standardOutput, spec.standardError]
        do {
            for (index, stream) in streams.enumerated() {
                let isInput = index == 0
                switch stream {
                case .inherit:
                    continue
                case .null:
                    sources[index] = try open("/dev/null", O_RDWR)
                    opened.append(sources[index])
                case .file(let path, let append):
                    let flags = isInput ? O_RDONLY : O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC)
                    sources[index] = try open(path, flags)
                    opened.append(sources[index])
                case .pipe:
                    var ends: [Int32] = [-1, -1]
                    guard pipe(&ends) == 0 else { throw SubprocessError.systemCall("pipe", errno: errno) }
                    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
                    opened.append(contentsOf: ends)
                    let (child, parent) = isInput ? (ends[0], ends[1]) : (ends[1], ends[0])
                    _ = fcntl(parent, F_SETFL, fcntl(parent, F_GETFL) | O_NONBLOCK)
                    sources[index] = child
                    parentEnds[index] = parent
                }
            }
        } catch let error as SubprocessError {
            cleanUp([])
            throw error
        } catch {
            cleanUp([])
            throw .systemCall("open", errno: EIO)
        }
        request.stdin_fd = sources[0]
        request.stdout_fd = sources[1]
        request.stderr_fd = sources[2]
        var result = clinux_spawn_result()
        let rc = withUnsafePointer(to: &request) { clinux_spawn($0, &result) }
        cleanUp(Set(parentEnds.filter { $0 >= 0 && rc == 0 }))
        guard rc == 0 else {
            let stage = SpawnStage(rawValue: result.stage) ?? .exec
            if stage == .clone && !spec.namespaces.isEmpty {
                throw .namespacesRefused(spec.namespaces, errno: result.error)
            }
            if stage == .clone || stage == .pipe {
                throw .systemCall(stage.description, errno: result.error)
            }
            throw .spawnFailed(stage: stage, errno: result.error, executable: spec.executable)
        }
        return Launched(pid: result.pid, pidfd: result.pidfd, stdinWriter: parentEnds[0],
                        stdoutReader: parentEnds[1], stderrReader: parentEnds[2])
    }

    /// `open` with close-on-exec; the descriptor or a thrown `systemCall` error naming the path.
    private func open(_ path: String, _ flags: Int32) throws(SubprocessError) -> Int32 {
        let fd = Glibc.open(path, flags | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .systemCall("open \(path)", errno: errno) }
        return fd
    }
}
