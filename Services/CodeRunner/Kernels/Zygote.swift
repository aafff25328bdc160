import Foundation
import ServiceKit
import Subprocess

/// The fork server: one Python process (Shared/Subprocess: clean environment, namespaces
/// where allowed, killed with the service) that has imported pandas, numpy, plotly and
/// matplotlib and forks a kernel per channel. Every kernel's bytes travel over the zygote's
/// stdin and stdout, tagged with the kernel's channel (see kernel.py); this actor sends
/// requests, matches answers to them and turns a kernel's exit into an error for whoever
/// waits on it.
actor Zygote {
    /// How to start the zygote.
    struct Configuration: Sendable {
        /// The interpreter.
        var python: String
        /// kernel.py.
        var program: String
        /// Namespaces to ask for (the service falls back to fewer when refused).
        var namespaces: Namespaces
        /// The zygote's whole environment (nothing of the service's).
        var environment: [String: String]
        /// How long the imports may take.
        var startTimeout: Duration = .seconds(120)
    }

    /// What the running zygote reported.
    struct Status: Sendable {
        /// Its pid (as the service sees it).
        var pid: Int32
        /// It runs as root (and so drops each kernel to a uid of its own).
        var isRoot: Bool
        /// The namespaces it got.
        var namespaces: Namespaces
        /// It is pid 1 of its own pid namespace.
        var ownPIDNamespace: Bool
        /// The network interfaces it sees.
        var networkInterfaces: [String]
    }

    /// Largest kernel frame accepted (outputs and figures of one execute).
    static let maxKernelFrame = 96 * 1024 * 1024

    private let process: Subprocess
    private let input: SubprocessInput
    private let logger: Logger
    private var zygoteFrames = FrameBuffer(hasChannel: true, maxPayload: 4 * 1024 * 1024)
    private var kernelFrames: [UInt32: FrameBuffer] = [:]
    private var replies: [UInt32: Promise<[UInt8]>] = [:]
    private var spawns: [UInt32: Promise<Int32>] = [:]
    private var ready = Promise<ZygoteEvent>()
    private var ended: [UInt32: String] = [:]
    private(set) var isAlive = true
    private(set) var status: Status?

    private init(process: Subprocess, input: SubprocessInput, logger: Logger) {
        self.process = process
        self.input = input
        self.logger = logger
    }

    /// Starts the zygote with the namespaces asked for, or with none when the kernel
    /// refuses them (logged), and waits until it has imported its libraries.
    static func start(_ configuration: Configuration, logger: Logger) async throws -> Zygote {
        var spec = ProcessSpec(executable: configuration.python, arguments: ["-I", configuration.program],
                               environment: configuration.environment)
        spec.standardInput = .pipe
        spec.killGroupOnExit = true
        spec.namespaces = configuration.namespaces
        var granted = configuration.namespaces
        let child: Subprocess
        do {
            child = try await Subprocess.spawn(spec)
        } catch let error as SubprocessError {
            guard case .namespacesRefused = error else { throw KernelError.zygoteUnavailable(error.description) }
            logger.warning("namespaces refused; kernels run without them", [("error", error.description)])
            spec.namespaces = []
            granted = []
            child = try await Subprocess.spawn(spec)
        }
        guard let input = child.standardInput, let output = child.standardOutput else {
            throw KernelError.zygoteUnavailable("no pipes")
        }
        let zygote = Zygote(process: child, input: input, logger: logger)
        await zygote.listen(output: output, errors: child.standardError)
        let ready: ZygoteEvent
        do {
            ready = try await zygote.awaitReady(timeout: configuration.startTimeout)
        } catch {
            child.kill()
            throw error
        }
        await zygote.record(Status(pid: child.pid, isRoot: ready.uid == 0, namespaces: granted,
                                   ownPIDNamespace: ready.namespaces?.pid1 ?? false,
                                   networkInterfaces: ready.namespaces?.networkInterfaces ?? []))
        return zygote
    }

    private func record(_ status: Status) { self.status = status }

    private func awaitReady(timeout: Duration) async throws -> ZygoteEvent {
        let promise = ready
        let timer = Task {
            try await Task.sleep(for: timeout)
            promise.fulfil(.failure(.zygoteUnavailable("not ready after \(timeout)")))
        }
        defer { timer.cancel() }
        return try await promise.value()
    }

    /// Reads the zygote's stdout (frames) and stderr (logged) until it exits.
    private func listen(output: SubprocessOutput, errors: SubprocessOutput?) {
        Task { [weak self] in
            for await chunk in output {
                guard let self else { return }
                await self.receive(chunk)
            }
            await self?.lost(reason: "it exited")
        }
        if let errors {
            let logger = self.logger
            Task {
                for await chunk in errors {
                    let text = String(decoding: chunk.prefix(2048), as: UTF8.self)
                    logger.warning("kernel server stderr", [("text", text)])
                }
            }
        }
    }

    private func receive(_ chunk: [UInt8]) {
        zygoteFrames.append(chunk)
        while true {
            let frame: (channel: UInt32, payload: [UInt8])
            do {
                guard let next = try zygoteFrames.next() else { return }
                frame = next
            } catch {
                lost(reason: "bad frame from the zygote: \(error)")
                process.kill()
                return
            }
            if frame.channel == 0 {
                handleEvent(frame.payload)
            } else {
                receiveKernelBytes(frame.payload, channel: frame.channel)
            }
        }
    }

    private func handleEvent(_ payload: [UInt8]) {
        guard let event = try? JSON.decode(ZygoteEvent.self, from: payload) else {
            logger.warning("unreadable event from the kernel server")
            return
        }
        switch event.event {
        case "ready":
            ready.fulfil(.success(event))
        case "spawned":
            if let channel = event.kernel { spawns.removeValue(forKey: channel)?.fulfil(.success(event.pid ?? 0)) }
        case "spawn_failed":
            if let channel = event.kernel {
                spawns.removeValue(forKey: channel)?.fulfil(.failure(.spawnFailed(event.error ?? "unknown")))
            }
        case "exited":
            if let channel = event.kernel { end(channel, status: event.status ?? "exited") }
        default:
            break
        }
    }

    private func receiveKernelBytes(_ bytes: [UInt8], channel: UInt32) {
        guard ended[channel] == nil else { return }
        var buffer = kernelFrames[channel] ?? FrameBuffer(hasChannel: false, maxPayload: Self.maxKernelFrame)
        buffer.append(bytes)
        do {
            while let frame = try buffer.next() {
                guard let reply = replies.removeValue(forKey: channel) else {
                    violate(channel, "an answer nobody asked for")
                    return
                }
                reply.fulfil(.success(frame.payload))
            }
            kernelFrames[channel] = buffer
        } catch {
            violate(channel, error.description)
        }
    }

    private func violate(_ channel: UInt32, _ reason: String) {
        logger.warning("kernel broke the protocol; killed", [("channel", Int(channel)), ("reason", reason)])
        let control = FrameBuffer.encode(JSON.encodeOrEmpty(KillRequest(kernel: channel)), channel: 0)
        if ended[channel] == nil { ended[channel] = KernelError.protocolViolation(reason).description }
        kernelFrames.removeValue(forKey: channel)
        replies.removeValue(forKey: channel)?.fulfil(.failure(.protocolViolation(reason)))
        let input = self.input
        // Enqueued at once (the write's enqueue is synchronous; only its completion is awaited).
        Task { try? await input.write(control) }
    }

    /// The kernel on `channel` ended: whoever waits on it gets `exited`.
    private func end(_ channel: UInt32, status: String) {
        if ended[channel] == nil { ended[channel] = status }
        kernelFrames.removeValue(forKey: channel)
        replies.removeValue(forKey: channel)?.fulfil(.failure(.exited(status: status)))
        spawns.removeValue(forKey: channel)?.fulfil(.failure(.exited(status: status)))
    }

    /// The zygote is gone: every waiter fails, every kernel is over.
    private func lost(reason: String) {
        guard isAlive else { return }
        isAlive = false
        logger.warning("kernel server stopped", [("reason", reason)])
        ready.fulfil(.failure(.zygoteUnavailable(reason)))
        for (channel, reply) in replies {
            reply.fulfil(.failure(.exited(status: "the kernel server stopped")))
            ended[channel] = "the kernel server stopped"
        }
        for (_, spawn) in spawns { spawn.fulfil(.failure(.zygoteUnavailable(reason))) }
        replies.removeAll()
        spawns.removeAll()
    }

    /// Starts a kernel; its pid (inside the zygote's pid namespace).
    func spawn(_ launch: KernelLaunch) async throws -> Int32 {
        guard isAlive else { throw KernelError.zygoteUnavailable("not running") }
        let promise = Promise<Int32>()
        spawns[launch.kernel] = promise
        ended.removeValue(forKey: launch.kernel)
        try await send(JSON.encode(launch), channel: 0)
        let timer = Task {
            try await Task.sleep(for: .seconds(60))
            promise.fulfil(.failure(.spawnFailed("no answer within 60 s")))
        }
        defer { timer.cancel() }
        return try await promise.value()
    }

    /// Sends one request to the kernel on `channel` and waits for its answer, at most
    /// `timeout`: then the kernel is killed and `timedOut` thrown.
    func request(_ payload: [UInt8], channel: UInt32, timeout: Duration) async throws -> [UInt8] {
        if let status = ended[channel] { throw KernelError.exited(status: status) }
        guard isAlive else { throw KernelError.zygoteUnavailable("not running") }
        let promise = Promise<[UInt8]>()
        replies[channel] = promise
        try await send(FrameBuffer.encode(payload), channel: channel)
        let seconds = Int(timeout.components.seconds)
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            if promise.fulfil(.failure(.timedOut(seconds: seconds))) {
                await self?.kill(channel, because: .timedOut(seconds: seconds))
            }
        }
        defer { timer.cancel() }
        return try await promise.value()
    }

    /// Kills the kernel on `channel` (its process group and every process of its uid). The
    /// request is in the zygote's pipe, ahead of anything sent later, when this returns.
    func kill(_ channel: UInt32, because reason: KernelError = .evicted) async {
        if ended[channel] == nil { ended[channel] = reason.description }
        kernelFrames.removeValue(forKey: channel)
        replies.removeValue(forKey: channel)?.fulfil(.failure(reason))
        guard isAlive, let control = try? JSON.encode(KillRequest(kernel: channel)) else { return }
        try? await input.write(FrameBuffer.encode(control, channel: 0))
    }

    /// Whether the kernel on `channel` has ended (or was never started).
    func hasEnded(_ channel: UInt32) -> Bool { ended[channel] != nil || !isAlive }

    /// Stops the zygote and with it every kernel.
    func stop() {
        input.close()
        process.kill()
    }

    private func send(_ payload: [UInt8], channel: UInt32) async throws {
        do {
            try await input.write(FrameBuffer.encode(payload, channel: channel))
        } catch {
            lost(reason: "its stdin closed")
            throw KernelError.zygoteUnavailable("its stdin closed")
        }
    }

    /// The zygote's `kill` request.
    private struct KillRequest: Encodable {
        var op = "kill"
        var kernel: UInt32
    }
}
