import Crypto
import Foundation
import HTTPCore
import ServiceKit

/// The predictor service: its name, default port, settings and routes.
///
/// - `POST /predict`: `current_file` (with one `<cursor>`) from a URL-encoded form (the original
///   client), `multipart/form-data` or a JSON object; optional `n` (1...10, default 3), `model`
///   (default `auto`), `language`. 200 `{"predictions": [...]}`; 400/413 in `{"code","description"}`.
/// - `POST /mass_upload`: `{"workspace", "files": {path: contents}}` stored in the blob store
///   (`DATA_DIR/blobs/<user>/<workspace>/<path>`), then the user's model is updated from the `.py` files.
/// - Models: `ngram`, `symbols`, `auto` (local), and `llm` when `LLM_BASE_URL` is set. In production
///   `LLM_BASE_URL` points at aibridge-query's bridge, `http://<aibridge-query>/api/v2/aibridge/openai/v1`
///   (`{LLM_BASE_URL}/completions` is called with prefix/suffix, fill in the middle), which forwards to
///   the configured upstream; `auto` then merges the llm's answers when they arrive within
///   `LLM_TIMEOUT_MS`, and `llm` falls back to the local models past it.
/// - The user is the gateway's identity; the base model is cached under `DATA_DIR/models`, user models
///   under `DATA_DIR/users`; start-up never waits for training.
/// - Limits (issue 10): path depth and distinct directories per upload, per-user quotas in the blob
///   store (bytes, files, directories), a memory budget for the personal models held (the least
///   recently used are evicted and loaded again on use), 507 on a full disk with the previous model
///   kept. Everything under `DATA_DIR` is written 0600 in 0700 directories through one
///   `DurableFileWriter`; temporary files an earlier process left are swept at start-up.
public enum PredictorService: Service {
    /// The executable's name.
    public static let name = "predictor"
    /// The default port.
    public static let defaultPort = 8081
    /// Settings beyond the common ones.
    public static let settings: [Setting] = Config.database(schema: DatabaseBlobStore.postgresSchema) + [
        Setting("USER_MODELS_DIR", "", "the personal models, one file per user (empty: DATA_DIR/users); with DATABASE_URL: one volume shared by every replica"),
        Setting("CORPUS_DIR", "", "directory of .py files for the base model (empty: the python3 standard library)"),
        Setting("MAX_FILE_BYTES", String(1024 * 1024), "largest file accepted by /predict and per file by /mass_upload (413 beyond)"),
        Setting("MAX_UPLOAD_FILES", "10000", "most files in one /mass_upload (413 beyond)"),
        Setting("MAX_PATH_DEPTH", "32", "most directories above a file in an uploaded path (400 beyond)"),
        Setting("MAX_UPLOAD_DIRECTORIES", "5000", "most distinct directories one /mass_upload may name (413 beyond)"),
        Setting("USER_QUOTA_BYTES", String(256 * 1024 * 1024), "most bytes of uploaded files one user keeps (413 for an upload that would pass it)"),
        Setting("USER_QUOTA_FILES", "50000", "most uploaded files one user keeps (413 for an upload that would pass it)"),
        Setting("USER_QUOTA_DIRECTORIES", "20000", "most directories one user's uploads may take (413 for an upload that would pass it)"),
        Setting("USER_MODEL_CACHE_BYTES", String(512 * 1024 * 1024),
                "estimated bytes of personal models held in memory; the least recently used beyond it are reloaded from disk when used"),
        Setting("LLM_BASE_URL", "", "OpenAI-compatible base URL for the llm model, {LLM_BASE_URL}/completions; "
                + "empty: aibridge-query's bridge, <AIBRIDGE_URL>/api/v2/aibridge/openai/v1, when LLM_MODEL is set (else llm off)"),
        Setting("LLM_API_KEY", "", "bearer token for LLM_BASE_URL when it is not the bridge (the bridge uses its own upstream key)", secret: true),
        Setting("LLM_MODEL", "", "the model name sent to the llm upstream (set: the llm model is on)"),
        Setting("AIBRIDGE_URL", "http://127.0.0.1:8083", "aibridge-query's address: the llm model's calls go through its bridge "
                + "(recorded under the user) unless LLM_BASE_URL names another upstream"),
        Setting("LLM_TIMEOUT_MS", "300", "latency budget of an llm call; past it the local models answer"),
        Setting("BASE_MODEL_WAIT_MS", "2000", "how long a /predict during a cold start waits for the base model, ms"),
    ]

    /// Reads the settings.
    public static func options(_ config: Config) throws -> PredictorOptions { try PredictorOptions(config: config) }

    /// Builds the service.
    public static func make(_ options: PredictorOptions, context: ServiceContext) async throws -> ServiceDefinition {
        try await instance(options, logger: context.logger, metrics: context.metrics).definition
    }

    /// Builds the service from its options: the engine (with the llm model when configured),
    /// the blob store, the base-model loader as background work, and the routes. Until the
    /// base model is loaded (or trained) `/health` says `starting` and `/predict` waits for it
    /// (at most `baseModelWait`).
    public static func instance(_ options: PredictorOptions, logger: Logger, metrics: Metrics,
                                httpClient: HTTPClient? = nil) async throws -> (definition: ServiceDefinition, engine: PredictorEngine) {
        let data = options.dataDirectory
        // Every file the predictor writes goes through one writer (mode 0600 in 0700 directories,
        // temporary file then rename); its run token tells this run's temporary files from orphans.
        let writer = DurableFileWriter(writeCall: options.writeCall)
        let users = options.userModelsDirectory ?? data.appendingPathComponent("users", isDirectory: true)
        let blobRoot = data.appendingPathComponent("blobs", isDirectory: true)
        for directory in [data, users, blobRoot, data.appendingPathComponent("models", isDirectory: true)] {
            try writer.createDirectories(directory)
        }

        // Engine: the local models, the base model's cache, the user models.
        let corpusKey = options.corpusDirectory?.standardizedFileURL.path ?? "python3-stdlib"
        let cache = data.appendingPathComponent("models", isDirectory: true)
            .appendingPathComponent(baseCacheFileName(corpusKey: corpusKey))
        var engineConfiguration = PredictorEngine.Configuration(corpusDirectory: options.corpusDirectory, baseCacheFile: cache,
                                                               userDirectory: users, userModelCacheBytes: options.userModelCacheBytes,
                                                               writer: writer)
        engineConfiguration.sharedUserDirectory = options.sharedUserModels
        let engine = PredictorEngine(configuration: engineConfiguration, metrics: metrics)

        // The llm model and the merged `auto`, when an upstream is configured.
        var ownedClient: HTTPClient?
        if let llm = options.llm {
            let client: HTTPClient
            if let httpClient {
                client = httpClient
            } else {
                var clientConfiguration = HTTPClientConfiguration()
                clientConfiguration.connectTimeout = llm.timeout
                clientConfiguration.maxConnectionsPerHost = 32
                client = HTTPClient(configuration: clientConfiguration)
                ownedClient = client
            }
            let llmClient = LLMClient(settings: llm, client: client)
            let local = AutoCompletionModel()
            await engine.register(LLMCompletionModel(client: llmClient, fallback: local))
            await engine.register(MergedAutoModel(local: local, llm: llmClient))
            logger.info("llm model on", [("base_url", llm.baseURL), ("model", llm.model), ("timeout_ms", llm.timeout.milliseconds)])
        }

        // Store: the uploads in the database with DATABASE_URL (every replica serves them, one
        // quota across replicas), else files under DATA_DIR/blobs.
        let databaseBlobs: DatabaseBlobStore? = if options.blobStore == nil, let database = options.database {
            try await DatabaseBlobStore.open(database, quota: options.userQuota, poolSize: options.databasePoolSize,
                                             schema: options.databaseSchema)
        } else {
            nil
        }
        let blobs = options.blobStore ?? databaseBlobs ?? FileBlobStore(root: blobRoot, quota: options.userQuota, writer: writer)

        // Routes, all of them.
        let readiness = Readiness(ready: false)
        let predict = PredictRoute(engine: engine, options: options, readiness: readiness, logger: logger, metrics: metrics)
        let massUpload = MassUploadRoute(engine: engine, options: options, blobs: blobs, logger: logger, metrics: metrics)
        let router = Router()
        router.post("/predict") { try await predict.handle($0) }
        router.post("/mass_upload") { try await massUpload.handle($0) }

        var definition = ServiceDefinition(router: router, envelope: .codeDescription)
        definition.serve(openAPI: PredictorOpenAPI.document)
        definition.readiness = readiness
        definition.background = [BaseModelLoader(engine: engine, readiness: readiness, logger: logger),
                                 TemporaryFileSweeper(root: data, currentRun: writer.run, logger: logger, metrics: metrics)]
        let owned = ownedClient
        definition.onShutdown = {
            await owned?.shutdown()
            await databaseBlobs?.close()
        }
        return (definition, engine)
    }

    /// The base model's cache file name for a corpus (its directory's path, or
    /// `python3-stdlib`): `base-<FNV-1a 64 of the key, lowercase hex, no leading zeros>.ngram`.
    /// Stable across runs (FNV-1a depends on the bytes alone), so a restart finds the cache;
    /// changing the scheme would orphan every existing cache file.
    static func baseCacheFileName(corpusKey: String) -> String {
        "base-\(String(FNV1a64.hash(corpusKey), radix: 16)).ngram"
    }
}
