import Foundation
import ServiceKit

/// Every kernel of the service: one per active analysis session (at most `maxKernels`,
/// the least recently used stopped beyond), scratch kernels for scoring fixes, and a tool
/// kernel for clean-code and upload checks. Starts the zygote on first use and again
/// after it died; a session's kernel that died or timed out is started again on its
/// next request, with the session's dataset loaded.
actor KernelPool {
    /// The session's dataset as CSV text, nil for the built-in sample.
    typealias DatasetSource = @Sendable (_ session: String) async throws -> String?

    private let sandbox: SandboxSettings
    private let zygoteConfiguration: Zygote.Configuration
    private let logger: Logger
    private let metrics: Metrics
    private let dataset: DatasetSource
    private var zygote: Zygote?
    private var starting: Task<Zygote, any Error>?
    private var sessions: [String: SessionKernel] = [:]
    private var freeSlots: [Int]
    private var nextChannel: UInt32 = 1
    private let scratch: SlotSemaphore
    private let toolGate = SerialGate()
    private var toolChannel: UInt32?
    private let clock = ContinuousClock()
    /// `code_runner_kernels_live`: session kernels holding a slot now.
    private let liveKernels: MetricCell

    /// A pool that starts nothing until asked.
    init(sandbox: SandboxSettings, zygote: Zygote.Configuration, dataset: @escaping DatasetSource,
         logger: Logger, metrics: Metrics) {
        self.sandbox = sandbox
        zygoteConfiguration = zygote
        self.dataset = dataset
        self.logger = logger
        self.metrics = metrics
        freeSlots = Array((0..<sandbox.maxKernels).reversed())
        scratch = SlotSemaphore(slots: sandbox.scratchSlots)
        liveKernels = metrics.gaugeCell("code_runner_kernels_live", help: "Session kernels running now (at most MAX_KERNELS)")
    }

    /// Sets the live-kernel gauge from the slots in use (called after every slot change).
    private func publishLiveKernels() {
        liveKernels.set(Double(sandbox.maxKernels - freeSlots.count))
    }

    // MARK: - The zygote

    /// The running zygote, started (once, however many ask at the same time) when needed.
    func server() async throws -> Zygote {
        if let zygote, await zygote.isAlive { return zygote }
        if let starting { return try await starting.value }
        if zygote != nil {
            // It died: every session's kernel died with it.
            for kernel in sessions.values { if let slot = kernel.detach() { freeSlots.append(slot) } }
            publishLiveKernels()
            toolChannel = nil
            zygote = nil
        }
        let configuration = zygoteConfiguration
        let logger = self.logger
        let task = Task { try await Zygote.start(configuration, logger: logger) }
        starting = task
        defer { starting = nil }
        let started = try await task.value
        zygote = started
        if let status = await started.status {
            logger.info("kernel server ready", [("pid", Int(status.pid)), ("root", status.isRoot),
                                                ("namespaces", status.namespaces.names.joined(separator: ",")),
                                                ("own_pid_namespace", status.ownPIDNamespace),
                                                ("network_interfaces", status.networkInterfaces.joined(separator: ","))])
        }
        return started
    }

    /// What the running zygote reported (nil before the first start).
    func status() async -> Zygote.Status? { await zygote?.status }

    private func newChannel() -> UInt32 {
        defer { nextChannel = nextChannel == UInt32.max ? 1 : nextChannel + 1 }
        return nextChannel
    }

    // MARK: - Session kernels

    /// The session's kernel record (made on first use).
    private func record(for session: String) -> SessionKernel {
        if let existing = sessions[session] { return existing }
        let made = SessionKernel(session: session, now: clock.now)
        sessions[session] = made
        return made
    }

    /// Runs `command` in the session's kernel (started, with its dataset, when not running),
    /// one request of the session at a time. A timeout or a crash leaves the session
    /// without a kernel; the next request starts a fresh one.
    func run(_ command: KernelCommand, session: String, timeout: Duration? = nil) async throws -> KernelReply {
        let kernel = record(for: session)
        kernel.touch(clock.now)
        let limit = timeout ?? sandbox.executeTimeout
        return try await kernel.gate.run {
            let (server, channel) = try await self.ensureRunning(kernel)
            let payload = try JSON.encode(command)
            do {
                let bytes = try await server.request(payload, channel: channel, timeout: limit)
                kernel.touch(ContinuousClock.now)
                return try Self.decode(bytes)
            } catch let error as KernelError {
                await self.release(kernel, channel: channel)
                throw error
            }
        }
    }

    /// Stops the session's kernel (after its current request): reset, or a new dataset.
    func stop(session: String) async {
        guard let kernel = sessions[session] else { return }
        _ = try? await kernel.gate.run {
            if let (channel, _) = kernel.running { await self.release(kernel, channel: channel) }
            return true
        }
    }

    /// Stops every session's kernel (dataset changes may have been missed).
    func stopAll() async {
        for session in Array(sessions.keys) { await stop(session: session) }
    }

    /// Stops kernels unused for `idle`; returns how many.
    @discardableResult
    func stopIdle(olderThan idle: Duration) async -> Int {
        let now = clock.now
        var stopped = 0
        for kernel in sessions.values where now - kernel.lastUsed >= idle {
            if await kernel.gate.isBusy { continue }
            if let (channel, _) = kernel.running {
                await release(kernel, channel: channel)
                stopped += 1
            }
            if kernel.running == nil, sessions[kernel.session] === kernel, !(await kernel.gate.isBusy) {
                sessions.removeValue(forKey: kernel.session)
            }
        }
        if stopped > 0 { logger.info("idle kernels stopped", [("count", stopped)]) }
        return stopped
    }

    /// Session kernels running now.
    var runningCount: Int { sessions.values.filter { $0.running != nil }.count }

    /// Starts the session's kernel when it has none (or its kernel ended): a free slot
    /// (stopping the least recently used session's kernel when none is), a spawn, the
    /// dataset loaded.
    private func ensureRunning(_ kernel: SessionKernel) async throws -> (Zygote, UInt32) {
        let server = try await server()
        if let (channel, _) = kernel.running {
            if !(await server.hasEnded(channel)) { return (server, channel) }
            await release(kernel, channel: channel, alreadyEnded: true)
        }
        let slot = try await takeSlot(for: kernel)
        let channel = newChannel()
        kernel.attach(channel: channel, slot: slot)
        do {
            _ = try await server.spawn(sandbox.launch(slot: slot, channel: channel))
            let csv = try await dataset(kernel.session)
            let reply = try Self.decode(try await server.request(JSON.encode(KernelCommand.load(csv: csv)), channel: channel,
                                                                 timeout: sandbox.executeTimeout))
            if !reply.ok {
                // A stored dataset that no longer loads: the session falls back to the sample.
                logger.warning("stored dataset did not load; the sample is used", [("error", reply.error ?? "")])
                _ = try await server.request(JSON.encode(KernelCommand.load(csv: nil)), channel: channel, timeout: sandbox.executeTimeout)
            }
        } catch {
            await release(kernel, channel: channel)
            throw error
        }
        metrics.increment("code_runner_kernel_starts_total", help: "Session kernels started")
        publishLiveKernels()
        return (server, channel)
    }

    /// A free slot for `kernel`, stopping the least recently used other session's kernel
    /// (idle ones first) when all are taken.
    private func takeSlot(for kernel: SessionKernel) async throws -> Int {
        if let slot = freeSlots.popLast() { return slot }
        let candidates = sessions.values.filter { $0 !== kernel && $0.running != nil }.sorted { $0.lastUsed < $1.lastUsed }
        var victim: SessionKernel?
        for candidate in candidates where !(await candidate.gate.isBusy) {
            victim = candidate
            break
        }
        guard let chosen = victim ?? candidates.first, let (channel, _) = chosen.running else {
            throw KernelError.spawnFailed("no kernel slot free")
        }
        await release(chosen, channel: channel)
        metrics.increment("code_runner_kernel_evictions_total", help: "Kernels stopped to make room (MAX_KERNELS)")
        guard let slot = freeSlots.popLast() else { throw KernelError.spawnFailed("no kernel slot free") }
        return slot
    }

    /// Kills the kernel (unless it already ended) and frees its slot. The kill reaches the
    /// zygote before the slot can be given out again, so the uid sweep of the old kernel
    /// can never hit the next kernel of the same slot.
    private func release(_ kernel: SessionKernel, channel: UInt32, alreadyEnded: Bool = false) async {
        guard kernel.running?.channel == channel, let slot = kernel.detach() else { return }
        if !alreadyEnded, let zygote { await zygote.kill(channel) }
        freeSlots.append(slot)
        publishLiveKernels()
    }

    // MARK: - Scratch and tool kernels

    /// Runs `body` with a fresh scratch kernel that has `csv` (nil: the sample) loaded,
    /// killed afterwards. At most `scratchKernels` at once; others wait.
    func withScratchKernel<T: Sendable>(csv: String?, _ body: @Sendable (ScratchKernel) async throws -> T) async throws -> T {
        let slot = await scratch.acquire()
        let server: Zygote
        do {
            server = try await self.server()
        } catch {
            await scratch.release(slot)
            throw error
        }
        let channel = newChannel()
        let scratchKernel = ScratchKernel(server: server, channel: channel, timeout: sandbox.executeTimeout)
        do {
            _ = try await server.spawn(sandbox.launch(slot: slot, channel: channel))
            _ = try await scratchKernel.run(.load(csv: csv))
            let result = try await body(scratchKernel)
            await server.kill(channel)
            await scratch.release(slot)
            return result
        } catch {
            await server.kill(channel)
            await scratch.release(slot)
            throw error
        }
    }

    /// Runs a command in the tool kernel (no dataset, started when needed), one at a time.
    func runTool(_ command: KernelCommand, timeout: Duration) async throws -> KernelReply {
        try await toolGate.run {
            let (server, channel) = try await self.toolKernel()
            do {
                return try Self.decode(try await server.request(JSON.encode(command), channel: channel, timeout: timeout))
            } catch let error as KernelError {
                await self.dropTool(channel)
                throw error
            }
        }
    }

    private func toolKernel() async throws -> (Zygote, UInt32) {
        let server = try await server()
        if let channel = toolChannel, !(await server.hasEnded(channel)) { return (server, channel) }
        let channel = newChannel()
        toolChannel = channel
        do {
            _ = try await server.spawn(sandbox.launch(slot: sandbox.toolSlot, channel: channel))
        } catch {
            toolChannel = nil
            throw error
        }
        return (server, channel)
    }

    private func dropTool(_ channel: UInt32) async {
        if toolChannel == channel { toolChannel = nil }
        await zygote?.kill(channel)
    }

    /// Stops everything (service shutdown).
    func shutdown() async {
        await zygote?.stop()
        zygote = nil
    }

    static func decode(_ bytes: [UInt8]) throws -> KernelReply {
        do {
            return try JSON.decode(KernelReply.self, from: bytes)
        } catch {
            throw KernelError.protocolViolation("unreadable answer: \(JSON.describe(error))")
        }
    }
}
