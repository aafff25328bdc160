import Contracts
import HTTPCore
import ServiceKit

/// `POST /predict`: `current_file` (with one `<cursor>`) and optional `n` (1...10, default 3),
/// `model` (default `auto`) and `language` → `{"predictions": [...]}`, best first.
struct PredictRoute: Sendable {
    /// The engine that predicts.
    let engine: PredictorEngine
    /// Limits and the cold-start wait.
    let options: PredictorOptions
    /// Ready once the base model is in place.
    let readiness: Readiness
    /// One line per prediction.
    let logger: Logger
    /// Predictions and llm calls, by model and outcome.
    let metrics: Metrics

    /// Answers one request.
    func handle(_ request: Request) async throws -> HTTPResponse {
        let identity = try request.require()
        // During a cold start the base model is still loading: wait for it (bounded)
        // rather than answer from the file alone.
        if !readiness.isReady { _ = await readiness.waitUntilReady(timeout: options.baseModelWait) }
        // A form can triple the file's size by percent-encoding; the file itself is checked below.
        let limit = options.maxFileBytes * 3 + 64 * 1024
        let fields = try await PredictFields.parse(request, bodyLimit: limit, maxFileBytes: options.maxFileBytes)
        guard let fileBytes = fields.currentFile else { throw ServiceError.badRequest("missing field 'current_file'") }
        if fileBytes.count > options.maxFileBytes {
            throw ServiceError.tooLarge("current_file is \(fileBytes.count) bytes; the limit is \(options.maxFileBytes)")
        }
        guard let file = String(validating: fileBytes, as: UTF8.self) else {
            throw ServiceError.badRequest("current_file is not valid UTF-8")
        }
        var count = 3
        if let text = fields.n {
            guard let value = Int(text.trimmingSpaces), (1...10).contains(value) else {
                throw ServiceError.badRequest("'n' must be an integer from 1 to 10")
            }
            count = value
        }
        let names = await engine.registry.names
        let model = fields.model.flatMap { $0.isEmpty ? nil : $0 } ?? "auto"
        guard names.contains(model) else {
            throw ServiceError.badRequest("unknown model '\(model.prefix(64))'; valid models: \(names.joined(separator: ", "))")
        }
        if let language = fields.language, language.utf8.count > 64 { throw ServiceError.badRequest("'language' is too long") }
        let context: CompletionContext
        do { context = try CompletionContext(fileText: file) } catch {
            throw ServiceError.badRequest(error == .missingCursor ? "current_file has no <cursor> marker"
                                                                  : "current_file has more than one <cursor> marker")
        }
        let trace = PredictionTrace(identity: identity)
        let started = ContinuousClock.now
        let result: PredictorEngine.Prediction
        do {
            result = try await PredictionTrace.$current.withValue(trace) {
                try await engine.predict(user: identity.userID, fileText: file, n: count, model: model)
            }
        } catch let error as PredictorEngine.PredictError {
            switch error {
            case .unknownModel(let name):
                throw ServiceError.badRequest("unknown model '\(name)'; valid models: \(names.joined(separator: ", "))")
            case .badCursor: throw ServiceError.badRequest("current_file must hold exactly one <cursor> marker")
            }
        }
        let predictions = Self.clean(result.predictions, typed: context.typedPrefix, n: count)
        let elapsed = ContinuousClock.now - started
        metrics.increment("predictions_total", help: "Predictions served, by model", labels: [("model", result.model)])
        metrics.observe("prediction_seconds", help: "Time to predict, by model", labels: [("model", result.model)], elapsed.fractionalSeconds)
        var logFields: [(String, any Sendable)] = [("model", result.model), ("user", identity.userID), ("n", count),
                                                  ("count", predictions.count), ("ms", elapsed.milliseconds)]
        if let language = fields.language { logFields.append(("language", language)) }
        if let outcome = trace.llmOutcome {
            logFields.append(("llm", outcome))
            metrics.increment("llm_calls_total", help: "llm model calls, by outcome", labels: [("outcome", outcome)])
        }
        logger.info("prediction", requestID: request.requestID, logFields)
        return .json(PredictorAPI.PredictResponse(predictions: predictions))
    }

    /// Final guard on what reaches the client: begins with the typed part, one line, non-empty, distinct; at most `n`.
    static func clean(_ predictions: [String], typed: String, n: Int) -> [String] {
        var seen = Set<String>()
        var cleaned: [String] = []
        for prediction in predictions
        where !prediction.isEmpty && prediction.hasPrefix(typed) && !prediction.contains(where: { $0 == "\n" || $0 == "\r" }) {
            if seen.insert(prediction).inserted { cleaned.append(prediction) }
            if cleaned.count >= n { break }
        }
        return cleaned
    }
}
