/// What a service gets to build itself: its configuration, logger and metrics.
public struct ServiceContext: Sendable {
    /// Every declared setting (the service reads its `Options` from it once).
    public let config: Config
    /// The service's logger.
    public let logger: Logger
    /// The registry served at `/metrics`.
    public let metrics: Metrics

    /// A context (ServiceMain makes one; tests make their own).
    public init(config: Config, logger: Logger, metrics: Metrics = Metrics()) {
        self.config = config
        self.logger = logger
        self.metrics = metrics
    }
}
