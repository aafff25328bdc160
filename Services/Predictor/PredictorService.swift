import Contracts
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
public enum PredictorService: Service {
    /// The executable's name.
    public static let name = "predictor"
    /// The default port.
    public static let defaultPort = 8081
    /// Settings beyond the common ones.
    public static let settings: [Setting] = [
        Setting("CORPUS_DIR", "", "directory of .py files for the base model (empty: the python3 standard library)"),
        Setting("MAX_FILE_BYTES", String(1024 * 1024), "largest file accepted by /predict and per file by /mass_upload (413 beyond)"),
        Setting("MAX_UPLOAD_FILES", "10000", "most files in one /mass_upload"),
        Setting("LLM_BASE_URL", "", "OpenAI-compatible base URL for the llm model, {LLM_BASE_URL}/completions (empty: llm off); "
                + "in production aibridge-query's bridge, http://<aibridge>/api/v2/aibridge/openai/v1"),
        Setting("LLM_API_KEY", "", "bearer token for LLM_BASE_URL", secret: true),
        Setting("LLM_MODEL", "", "the model name sent to the llm upstream"),
        Setting("LLM_TIMEOUT_MS", "300", "latency budget of an llm call; past it the local models answer"),
        Setting("BASE_MODEL_WAIT_MS", "2000", "how long a /predict during a cold start waits for the base model, ms"),
    ]

    /// Reads the settings.
    public static func options(_ config: Config) throws -> PredictorOptions { try PredictorOptions(config: config) }

    /// Builds the service.
    public static func make(_ options: PredictorOptions, context: ServiceContext) async throws -> ServiceDefinition {
        try await instance(options, logger: context.logger, metrics: context.metrics).definition
    }

    /// Builds the engine and the routes. The base model is loaded (or trained) by the
    /// definition's background service; until then `/health` says `starting` and
    /// `/predict` waits for it (at most `baseModelWait`).
    public static func instance(_ options: PredictorOptions, logger: Logger, metrics: Metrics,
                                httpClient: HTTPClient? = nil) async throws -> (definition: ServiceDefinition, engine: PredictorEngine) {
        let data = options.dataDirectory
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let corpusKey = options.corpusDirectory?.standardizedFileURL.path ?? "python3-stdlib"
        let cache = data.appendingPathComponent("models", isDirectory: true)
            .appendingPathComponent(baseCacheFileName(corpusKey: corpusKey))
        let engine = PredictorEngine(configuration: .init(corpusDirectory: options.corpusDirectory, baseCacheFile: cache,
                                                          userDirectory: data.appendingPathComponent("users", isDirectory: true)))
        var ownedClient: HTTPClient?
        if let llm = options.llm {
            var clientConfiguration = HTTPClientConfiguration()
            clientConfiguration.connectTimeout = llm.timeout
            clientConfiguration.maxConnectionsPerHost = 32
            let client = httpClient ?? HTTPClient(configuration: clientConfiguration)
            if httpClient == nil { ownedClient = client }
            let llmClient = LLMClient(settings: llm, client: client)
            let local = AutoCompletionModel()
            await engine.register(LLMCompletionModel(client: llmClient, fallback: local))
            await engine.register(MergedAutoModel(local: local, llm: llmClient))
            logger.info("llm model on", [("base_url", llm.baseURL), ("model", llm.model), ("timeout_ms", llm.timeout.milliseconds)])
        }
        let readiness = Readiness(ready: false)
        let handlers = Handlers(engine: engine, options: options,
                                blobs: options.blobStore ?? FileBlobStore(root: data.appendingPathComponent("blobs", isDirectory: true)),
                                readiness: readiness, logger: logger, metrics: metrics)
        let router = Router()
        router.post("/predict") { try await handlers.predict($0) }
        router.post("/mass_upload") { try await handlers.massUpload($0) }
        var definition = ServiceDefinition(router: router, envelope: .codeDescription)
        definition.readiness = readiness
        definition.background = [BaseModelLoader(engine: engine, readiness: readiness, logger: logger)]
        let owned = ownedClient
        definition.onShutdown = { await owned?.shutdown() }
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

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}

/// The route handlers.
struct Handlers: Sendable {
    let engine: PredictorEngine
    let options: PredictorService.Options
    let blobs: any BlobStore
    let readiness: Readiness
    let logger: Logger
    let metrics: Metrics

    // MARK: /predict

    func predict(_ req: Request) async throws -> HTTPResponse {
        let id = try req.require()
        // During a cold start the base model is still loading: wait for it (bounded)
        // rather than answer from the file alone.
        if !readiness.isReady { _ = await readiness.waitUntilReady(timeout: options.baseModelWait) }
        // A form can triple the file's size by percent-encoding; the file itself is checked below.
        let limit = options.maxFileBytes * 3 + 64 * 1024
        let fields = try await PredictFields.parse(req, bodyLimit: limit, maxFileBytes: options.maxFileBytes)
        guard let fileBytes = fields.currentFile else { throw ServiceError.badRequest("missing field 'current_file'") }
        if fileBytes.count > options.maxFileBytes {
            throw ServiceError.tooLarge("current_file is \(fileBytes.count) bytes; the limit is \(options.maxFileBytes)")
        }
        guard let file = String(validating: fileBytes, as: UTF8.self) else {
            throw ServiceError.badRequest("current_file is not valid UTF-8")
        }
        var n = 3
        if let s = fields.n {
            guard let v = Int(s.trimmingSpaces), (1...10).contains(v) else {
                throw ServiceError.badRequest("'n' must be an integer from 1 to 10")
            }
            n = v
        }
        let names = await engine.registry.names
        let model = fields.model.flatMap { $0.isEmpty ? nil : $0 } ?? "auto"
        guard names.contains(model) else {
            throw ServiceError.badRequest("unknown model '\(model.prefix(64))'; valid models: \(names.joined(separator: ", "))")
        }
        if let lang = fields.language, lang.utf8.count > 64 { throw ServiceError.badRequest("'language' is too long") }
        let ctx: CompletionContext
        do { ctx = try CompletionContext(fileText: file) } catch {
            throw ServiceError.badRequest(error == .missingCursor ? "current_file has no <cursor> marker"
                                                                  : "current_file has more than one <cursor> marker")
        }
        let trace = PredictionTrace(user: id.userID)
        let started = ContinuousClock.now
        let result: PredictorEngine.Prediction
        do {
            result = try await PredictionTrace.$current.withValue(trace) {
                try await engine.predict(user: id.userID, fileText: file, n: n, model: model)
            }
        } catch let error as PredictorEngine.PredictError {
            switch error {
            case .unknownModel(let m): throw ServiceError.badRequest("unknown model '\(m)'; valid models: \(names.joined(separator: ", "))")
            case .badCursor: throw ServiceError.badRequest("current_file must hold exactly one <cursor> marker")
            }
        }
        let predictions = Self.clean(result.predictions, typed: ctx.typedPrefix, n: n)
        let elapsed = ContinuousClock.now - started
        metrics.increment("predictions_total", help: "Predictions served, by model", labels: [("model", result.model)])
        metrics.observe("prediction_seconds", help: "Time to predict, by model", labels: [("model", result.model)],
                        Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
        var logFields: [(String, any Sendable)] = [("model", result.model), ("user", id.userID), ("n", n),
                                                  ("count", predictions.count), ("ms", elapsed.milliseconds)]
        if let lang = fields.language { logFields.append(("language", lang)) }
        if let o = trace.llmOutcome {
            logFields.append(("llm", o))
            metrics.increment("llm_calls_total", help: "llm model calls, by outcome", labels: [("outcome", o)])
        }
        logger.info("prediction", requestID: req.requestID, logFields)
        return .json(PredictorAPI.PredictResponse(predictions: predictions))
    }

    /// Final guard on what reaches the client: begins with the typed part, one line, non-empty, distinct.
    static func clean(_ preds: [String], typed: String, n: Int) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for p in preds where !p.isEmpty && p.hasPrefix(typed) && !p.contains(where: { $0 == "\n" || $0 == "\r" }) {
            if seen.insert(p).inserted { out.append(p) }
            if out.count >= n { break }
        }
        return out
    }

    // MARK: /mass_upload

    func massUpload(_ req: Request) async throws -> HTTPResponse {
        let id = try req.require()
        if let ct = req.headers["Content-Type"], !ct.lowercased().hasPrefix("application/json") {
            throw ServiceError(415, "mass_upload takes application/json")
        }
        let body = try await req.decodeJSON(PredictorAPI.MassUploadRequest.self, limit: options.maxUploadBodyBytes)
        guard body.files.count <= options.maxUploadFiles else {
            throw ServiceError.tooLarge("\(body.files.count) files; at most \(options.maxUploadFiles) per upload")
        }
        do {
            try UploadPaths.validateWorkspace(body.workspace)
            for p in body.files.keys.sorted() { try UploadPaths.validate(p) }
            try UploadPaths.checkNoFileDirectoryClash(body.files.keys)
        } catch {
            throw ServiceError.badRequest(error.description + "; nothing was stored")
        }
        var bytes: [String: [UInt8]] = [:]
        for (p, s) in body.files {
            let b = Array(s.utf8)
            if b.count > options.maxFileBytes {
                throw ServiceError.tooLarge("'\(p.prefix(200))' is \(b.count) bytes; the limit is \(options.maxFileBytes); nothing was stored")
            }
            bytes[p] = b
        }
        do {
            try await blobs.put(user: id.userID, workspace: body.workspace, files: bytes)
        } catch {
            logger.error("blob store write failed", requestID: req.requestID, [("user", id.userID), ("error", String(describing: error))])
            throw ServiceError(.conflict, "could not store the files (a path may clash with an existing file or directory)")
        }
        var python: [String: String] = [:]
        for (p, s) in body.files where p.hasSuffix(".py") { python[body.workspace + "/" + p] = s }
        if !python.isEmpty { await engine.upload(user: id.userID, files: python) }
        metrics.increment("uploaded_files_total", help: "Files stored by /mass_upload", by: Double(body.files.count))
        logger.info("mass upload", requestID: req.requestID, [("user", id.userID), ("workspace", body.workspace),
                                                                ("files", body.files.count), ("python_files", python.count)])
        return .text(PredictorAPI.uploadedText)
    }
}

/// The fields of a /predict body, from a form, multipart form or JSON object.
struct PredictFields {
    var currentFile: [UInt8]?
    var n: String?
    var model: String?
    var language: String?

    /// The small fields' cap in a multipart body (`n`, `model`, `language`).
    static let smallFieldBytes = 4 * 1024

    /// Reads the fields from the body. A multipart body is read part by part as it streams:
    /// `current_file` up to `maxFileBytes`, the other known fields up to `smallFieldBytes`,
    /// unknown parts skipped unread.
    static func parse(_ req: Request, bodyLimit: Int, maxFileBytes: Int) async throws -> PredictFields {
        let ct = req.headers["Content-Type"] ?? ""
        let mediaType = HeaderParameters(parsing: ct)?.value ?? ct.lowercased()
        switch mediaType {
        case "application/json":
            let json = try await req.decodeJSON(PredictorAPI.PredictRequest.self, limit: bodyLimit)
            return PredictFields(currentFile: json.currentFile.map { Array($0.utf8) }, n: json.n, model: json.model, language: json.language)
        case "multipart/form-data":
            var form = try req.multipart(limits: MultipartLimits(maxParts: 64, maxPartBytes: maxFileBytes, maxTotalBytes: bodyLimit))
            var found = PredictFields()
            while let part = try await form.nextPart() {
                switch part.name {
                case "current_file": found.currentFile = try await form.collectBody(upTo: maxFileBytes)
                case "n": found.n = try text(await form.collectBody(upTo: smallFieldBytes), "n")
                case "model": found.model = try text(await form.collectBody(upTo: smallFieldBytes), "model")
                case "language": found.language = try text(await form.collectBody(upTo: smallFieldBytes), "language")
                default: continue
                }
            }
            return found
        case "application/x-www-form-urlencoded", "text/plain", "":  // text/plain or none: clients that post a bare form string
            let body = try await req.body(limit: bodyLimit)
            var found = PredictFields()
            for field in FormCoding.fields(body) {
                switch String(decoding: field.name, as: UTF8.self) {
                case "current_file": found.currentFile = field.value
                case "n": found.n = try text(field.value, "n")
                case "model": found.model = try text(field.value, "model")
                case "language": found.language = try text(field.value, "language")
                default: continue
                }
            }
            return found
        default:
            throw ServiceError(415,
                               "unsupported Content-Type '\(mediaType.prefix(100))'; use application/x-www-form-urlencoded, multipart/form-data or application/json")
        }
    }

    static func text(_ b: [UInt8], _ field: String) throws -> String {
        guard let s = String(validating: b, as: UTF8.self) else { throw ServiceError.badRequest("'\(field)' is not valid UTF-8") }
        return s
    }
}
