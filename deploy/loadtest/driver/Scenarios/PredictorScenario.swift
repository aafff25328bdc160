import Contracts
import HTTPCore
import JSON

/// predictor: editors completing at the cursor. Each connection (its own session, as each
/// editor has) predicts in real Python files of three sizes in turn (the whole file sent,
/// as the VS Code client does on each keystroke), and every 25th request re-uploads a
/// workspace of a few files (`/mass_upload`, as on save).
public struct PredictorScenario: Scenario {
    public let name = "predictor"
    public let mix = "predict in small (<200 lines), medium (200–1,500), large (1,500–6,000) Python files in turn; mass_upload of 4 files every 25th request"
    public let defaultConnections = 8
    /// Completion points per file.
    static let pointsPerFile = 4

    /// A scenario.
    public init() {}

    public func prepare(_ setup: Worker, options: LoadOptions) async throws -> PredictorFixture {
        guard let directory = options.corpus else { throw LoadTestError.setup("the predictor scenario needs --corpus PYTHON_DIR") }
        let corpus = try PythonCorpus(directory: directory)
        var predictions: [(operation: String, bodies: [[UInt8]])] = []
        for sizeClass in PythonCorpus.classes {
            let texts = corpus.files[sizeClass.name] ?? []
            let bodies = try texts.flatMap { PythonCorpus.completionPoints($0, count: Self.pointsPerFile) }
                .map { try JSONWriter.encode(PredictorAPI.PredictRequest(currentFile: $0, n: 3), capacity: 1 << 16) }
            predictions.append(("predict \(sizeClass.name)", bodies))
        }
        let medium = corpus.files["medium"] ?? []
        let small = corpus.files["small"] ?? []
        var uploads: [[UInt8]] = []
        for index in 0..<8 {
            var files: [String: String] = [:]
            for (offset, text) in (small + medium).shuffled().prefix(4).enumerated() { files["pkg/module_\(index)_\(offset).py"] = text }
            uploads.append(try JSONWriter.encode(PredictorAPI.MassUploadRequest(workspace: "loadtest", files: files), capacity: 1 << 16))
        }
        return PredictorFixture(predictions: predictions, uploads: uploads)
    }

    public func run(_ worker: Worker, _ fixture: PredictorFixture) async {
        let json: HTTPHeaders = ["Content-Type": "application/json"]
        var count = worker.index
        while worker.isRunning {
            count += 1
            if count % 25 == 0, let upload = fixture.uploads.randomElement() {
                await worker.send("mass_upload", .POST, "/mass_upload", body: upload, headers: json)
                continue
            }
            let (operation, bodies) = fixture.predictions[count % fixture.predictions.count]
            guard let body = bodies.randomElement() else { continue }
            await worker.send(operation, .POST, "/predict", body: body, headers: json)
        }
    }
}
