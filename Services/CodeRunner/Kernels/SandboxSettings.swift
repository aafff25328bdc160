import Foundation
import Subprocess

/// What each kernel gets: its uid (when the service is root), working directory and limits.
///
/// Slots number every kernel the pool can run at once: `0..<maxKernels` for sessions,
/// then `scratchKernels` for scoring fixes, then one tool kernel (clean-code, upload
/// checks). Slot `n` runs as uid `uidBase + n` and works in `<workRoot>/k<n>-<channel>`, made
/// at its start and removed at its end, so a slot's next kernel never sees the last one's files.
struct SandboxSettings: Sendable {
    /// The service runs as root: kernels change uid.
    var dropsPrivileges: Bool
    /// `KERNEL_UID_BASE`.
    var uidBase: Int
    /// Session kernels at once.
    var maxKernels: Int
    /// Scratch kernels at once.
    var scratchKernels: Int
    /// Where working directories go.
    var workRoot: URL
    /// Limits per kernel.
    var limits: KernelLaunch.Limits
    /// Wall-clock limit per execute.
    var executeTimeout: Duration

    /// Slots of the scratch kernels.
    var scratchSlots: [Int] { Array(maxKernels..<(maxKernels + scratchKernels)) }
    /// The tool kernel's slot.
    var toolSlot: Int { maxKernels + scratchKernels }

    /// The spawn request for a kernel in `slot` on `channel`.
    func launch(slot: Int, channel: UInt32) -> KernelLaunch {
        KernelLaunch(kernel: channel, uid: dropsPrivileges ? UInt32(uidBase + slot) : nil,
                     workdir: workRoot.appendingPathComponent("k\(slot)-\(channel)").path, limits: limits)
    }

    /// The sandbox from the options, for a service running as `effectiveUID`.
    init(options: CodeRunnerOptions, effectiveUID: UInt32) {
        dropsPrivileges = effectiveUID == 0
        uidBase = options.kernelUIDBase
        maxKernels = options.maxKernels
        scratchKernels = options.scratchKernels
        workRoot = options.workDirectory
        limits = KernelLaunch.Limits(cpuSeconds: options.kernelCPUSeconds, memoryBytes: options.kernelMemoryBytes,
                                     processes: options.kernelProcesses, openFiles: options.kernelOpenFiles,
                                     fileSizeBytes: options.kernelFileBytes)
        executeTimeout = options.executeTimeout
    }

    /// Namespaces to ask the kernel for: as root pid, mount, network, IPC and UTS; otherwise
    /// a user namespace with them (where unprivileged user namespaces are allowed).
    var namespaces: Namespaces {
        dropsPrivileges ? [.pid, .mount, .network, .ipc, .uts] : [.user, .pid, .mount, .network, .ipc]
    }
}
