import ServiceKit

/// Loads the base model (from its cache, or trains it) when the service starts, then
/// marks the service ready. A background service that returns once the model is in
/// place; a machine without a corpus is marked ready with the local models alone.
struct BaseModelLoader: BackgroundService {
    /// The name in logs.
    let name = "base-model"
    /// The engine whose base model is loaded.
    let engine: PredictorEngine
    /// Marked ready once the model is in place (or there is no corpus).
    let readiness: Readiness
    /// Where a missing corpus is reported.
    let logger: Logger

    /// Loads or trains the base model, then marks the service ready.
    func run() async {
        let loaded = await engine.loadBaseModel()
        if !loaded.found { logger.warning("no base corpus found; predicting from the file and the user's uploads only") }
        if let error = loaded.cacheError {
            logger.warning("base model's cache not written; it is trained again at the next start", [("error", error.description)])
        }
        readiness.markReady()
    }
}
