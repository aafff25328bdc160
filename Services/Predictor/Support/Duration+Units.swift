extension Duration {
    /// The duration in whole milliseconds (for logs).
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }

    /// The duration in seconds (for metrics).
    var fractionalSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
