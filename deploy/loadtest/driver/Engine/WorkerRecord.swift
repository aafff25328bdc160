/// What one worker recorded, handed back when its loop ended.
struct WorkerRecord: Sendable {
    /// Its requests.
    var samples: [Sample]
    /// Its operation names (a sample's `operation` indexes this).
    var operations: [String]
}
