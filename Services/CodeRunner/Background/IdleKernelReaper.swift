import ServiceKit

/// Stops session kernels unused for `KERNEL_IDLE_S` (checked every quarter of it, at most
/// every 30 s); they start again, dataset reloaded, on the session's next request.
struct IdleKernelReaper: BackgroundService {
    /// The kernels.
    let pool: KernelPool
    /// `KERNEL_IDLE_S`.
    let idle: Duration

    var name: String { "idle-kernel-reaper" }

    func run() async throws {
        let period = min(idle / 4, .seconds(30))
        while !Task.isCancelled {
            do { try await Task.sleep(for: max(period, .milliseconds(250))) } catch { return }
            await pool.stopIdle(olderThan: idle)
        }
    }
}
