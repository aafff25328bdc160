import ServiceKit

/// Loads the base model (from its cache, or trains it) when the service starts, then
/// marks the service ready. A background service that returns once the model is in
/// place; a machine without a corpus is marked ready with the local models alone.
struct BaseModelLoader: BackgroundService {
    let name = "base-model"
    let engine: PredictorEngine
    let readiness: Readiness
    let logger: Logger

    func run() async {
        let loaded = await engine.loadBaseModel()
        if !loaded { logger.warning("no base corpus found; predicting from the file and the user's uploads only") }
        readiness.markReady()
    }
}
