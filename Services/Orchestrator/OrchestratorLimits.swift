import ServiceKit

/// How much work one request may cause: the learnuplets one `POST /data` or `POST /algo`
/// may create (beyond it: 413, nothing stored) and the size of a page of `GET /{collection}`
/// (beyond it: the first page and a `Link: <…>; rel="next"` header).
public struct OrchestratorLimits: Sendable {
    /// Most learnuplets one `POST /data` or `POST /algo` may create.
    public var maxNewLearnuplets: Int
    /// About how many learnuplets one write transaction of a `POST /data` creates (whole
    /// algos; other writers get in between).
    public var learnupletsPerTransaction: Int
    /// Documents in a page when the client sends no `limit`.
    public var listPageSize: Int
    /// Most documents a `limit` may ask for (a larger one is lowered to it).
    public var listMaxPageSize: Int
    /// A page ends after the document that brings its estimated JSON size to this many
    /// bytes (a page holds at least one document).
    public var listPageMaxBytes: Int

    /// The defaults of `OrchestratorService.settings`.
    public static let defaults = OrchestratorLimits(maxNewLearnuplets: 100_000, learnupletsPerTransaction: 5_000, listPageSize: 1_000,
                                                    listMaxPageSize: 10_000, listPageMaxBytes: 8 << 20)

    /// Limits with the given values.
    public init(maxNewLearnuplets: Int, learnupletsPerTransaction: Int, listPageSize: Int, listMaxPageSize: Int, listPageMaxBytes: Int) {
        self.maxNewLearnuplets = maxNewLearnuplets
        self.learnupletsPerTransaction = learnupletsPerTransaction
        self.listPageSize = listPageSize
        self.listMaxPageSize = listMaxPageSize
        self.listPageMaxBytes = listPageMaxBytes
    }

    /// Reads and validates the settings (a default page larger than the largest allowed
    /// one is refused).
    public init(config: Config) throws {
        maxNewLearnuplets = try config.integer("MAX_NEW_LEARNUPLETS", in: 1...Int(Int32.max))
        learnupletsPerTransaction = try config.integer("LEARNUPLETS_PER_TRANSACTION", in: 1...Int(Int32.max))
        listMaxPageSize = try config.integer("LIST_MAX_PAGE_SIZE", in: 1...1_000_000)
        listPageSize = try config.integer("LIST_PAGE_SIZE", in: 1...listMaxPageSize)
        listPageMaxBytes = try config.integer("LIST_PAGE_MAX_BYTES", in: 1_024...(1 << 30))
    }
}
