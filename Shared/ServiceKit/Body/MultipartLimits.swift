/// Bounds on a `multipart/form-data` body, each answered by a 413 in the service's envelope.
///
/// Plain byte and count values, so a service can take them from its settings
/// (`MultipartLimits(config:)` reads the `MULTIPART_*` settings of `MultipartLimits.settings`).
public struct MultipartLimits: Sendable, Equatable {
    /// Most parts in one body.
    public var maxParts: Int
    /// Largest header block of one part (its lines and the CRLFs, and any padding after its
    /// boundary).
    public var maxPartHeaderBytes: Int
    /// Largest body of one part.
    public var maxPartBytes: Int
    /// Largest whole body, preamble and epilogue included.
    public var maxTotalBytes: Int

    /// The defaults: 100 parts, 8 KiB of headers per part, 16 MiB per part and in all.
    public init(maxParts: Int = 100, maxPartHeaderBytes: Int = 8 * 1024,
                maxPartBytes: Int = 16 * 1024 * 1024, maxTotalBytes: Int = 16 * 1024 * 1024) {
        self.maxParts = max(1, maxParts)
        self.maxPartHeaderBytes = max(64, maxPartHeaderBytes)
        self.maxPartBytes = max(0, maxPartBytes)
        self.maxTotalBytes = max(0, maxTotalBytes)
    }

    /// The settings `init(config:)` reads, with the defaults above, for a service's setting list.
    public static let settings: [Setting] = {
        let defaults = MultipartLimits()
        return [
            Setting("MULTIPART_MAX_PARTS", String(defaults.maxParts), "most parts in one multipart/form-data body (413 beyond)"),
            Setting("MULTIPART_MAX_PART_HEADER_BYTES", String(defaults.maxPartHeaderBytes), "largest header block of one multipart part"),
            Setting("MULTIPART_MAX_PART_BYTES", String(defaults.maxPartBytes), "largest body of one multipart part"),
            Setting("MULTIPART_MAX_TOTAL_BYTES", String(defaults.maxTotalBytes), "largest multipart/form-data body"),
        ]
    }()

    /// The limits from the `MULTIPART_*` settings; a malformed or out-of-range value throws
    /// `ConfigError` naming the setting (the service then does not start).
    public init(config: Config) throws {
        self.init(maxParts: try config.integer("MULTIPART_MAX_PARTS", in: 1...1_000_000),
                  maxPartHeaderBytes: try config.integer("MULTIPART_MAX_PART_HEADER_BYTES", in: 64...1024 * 1024),
                  maxPartBytes: try config.integer("MULTIPART_MAX_PART_BYTES", in: 0...Int.max),
                  maxTotalBytes: try config.integer("MULTIPART_MAX_TOTAL_BYTES", in: 0...Int.max))
    }
}
