import Storage

/// What the cutting rule needs of a problem.
struct ProblemInfo: Sendable {
    /// The problem's id.
    var uuid: String
    /// Its workflow (copied into its learnuplets).
    var workflow: String
    /// Its test data ids as stored (copied into its learnuplets' `test_data`).
    var testJSON: String
    /// Train data ids per learnuplet.
    var size: Int
    /// Its test data ids (never trained on).
    var testData: Set<String>
    /// Bumped whenever data are added to the problem.
    var version: Int

    /// The problem `uuid`, or nil.
    static func load(_ conn: any SQLConnection, _ uuid: String) throws -> ProblemInfo? {
        guard let row = try conn.queryOne(Queries.problemInfo, uuid) else { return nil }
        var test = Set<String>()
        try conn.forEach(Queries.problemTestData, parameters: [uuid]) { test.insert(try $0.get(0)) }
        return ProblemInfo(uuid: uuid, workflow: try row.get(0), testJSON: try row.get(1), size: try row.get(2),
                           testData: test, version: try row.get(3))
    }
}
