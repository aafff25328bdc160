/// The driver's own CPU and the machine's during the measured window.
public struct DriverUsage: Codable, Sendable {
    /// The driver's CPU seconds (user + system).
    public var cpuSeconds: Double
    /// Its CPU seconds per wall second (1.0 = one core busy).
    public var cores: Double
    /// The machine's cores.
    public var machineCores: Int
    /// Cores the whole machine kept busy (the system under test, the driver, anything else), when known.
    public var machineBusyCores: Double?
    /// The 1-minute load average at the start and at the end.
    public var loadAverageStart: Double?
    /// At the end.
    public var loadAverageEnd: Double?

    enum CodingKeys: String, CodingKey {
        case cpuSeconds = "cpu_seconds", cores, machineCores = "machine_cores", machineBusyCores = "machine_busy_cores"
        case loadAverageStart = "load_average_start", loadAverageEnd = "load_average_end"
    }
}
