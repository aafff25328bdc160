/// The problem and algo a run's fleet trains: ids carry the run's tag.
public struct OrchestratorFixture: Sendable {
    /// The problem (one train id per learnuplet).
    public var problem: String
    /// The algo whose learnuplets the workers claim.
    public var algo: String
    /// The problem's test data.
    public var testData: [String]
}
