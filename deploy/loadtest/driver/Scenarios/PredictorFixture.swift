/// The predictor's requests, encoded before the clock starts (the driver spends nothing on them).
public struct PredictorFixture: Sendable {
    /// `/predict` bodies by operation (`predict small`, `predict medium`, `predict large`).
    public var predictions: [(operation: String, bodies: [[UInt8]])]
    /// `/mass_upload` bodies (a workspace of a few files each).
    public var uploads: [[UInt8]]
}
