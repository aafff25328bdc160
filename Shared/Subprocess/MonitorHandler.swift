/// Something registered with the `ProcessMonitor` for readiness of one descriptor (a
/// pidfd or a pipe end). Called on the monitor's thread only.
protocol MonitorHandler: AnyObject {
    /// The descriptor is ready; `events` are the epoll bits.
    func ready(events: UInt32)
}
