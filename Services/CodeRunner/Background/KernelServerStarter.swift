import ServiceKit

/// Starts the zygote once the service listens (its imports take about a second) and then
/// marks the service ready; a zygote that cannot start is retried with back-off, and
/// `/health` says `starting` meanwhile.
struct KernelServerStarter: BackgroundService {
    /// The kernels.
    let pool: KernelPool
    /// Set once the zygote is up.
    let readiness: Readiness
    /// Logs failures.
    let logger: Logger

    var name: String { "kernel-server-starter" }

    func run() async throws {
        var delay = Duration.seconds(1)
        while !Task.isCancelled {
            do {
                _ = try await pool.server()
                readiness.markReady()
                return
            } catch {
                logger.error("the kernel server could not start", [("error", String(describing: error))])
            }
            do { try await Task.sleep(for: delay) } catch { return }
            delay = min(delay * 2, .seconds(30))
        }
    }
}
