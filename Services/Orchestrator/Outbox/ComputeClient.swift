/// How the orchestrator POSTs JSON to compute; a pooled client of our own can replace
/// the URLSession one.
public protocol ComputeClient: Sendable {
    /// POSTs `body` as JSON to `url`; returns the HTTP status (throws on transport errors).
    func postJSON(_ url: String, body: [UInt8]) async throws -> Int
}
