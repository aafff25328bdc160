import Foundation
import HTTPCore
import ServiceKit
import Storage

/// The predictor's settings, read once at start (or made by tests).
public struct PredictorOptions: Sendable {
    /// Base corpus (nil: python3's standard library).
    public var corpusDirectory: URL?
    /// DATA_DIR: base model cache, user models, blobs.
    public var dataDirectory: URL
    /// Largest file for /predict (and per uploaded file).
    public var maxFileBytes = 1024 * 1024
    /// Largest /mass_upload body.
    public var maxUploadBodyBytes = 16 * 1024 * 1024
    /// Most files per upload.
    public var maxUploadFiles = 10_000
    /// Most directories above a file in an uploaded path (`MAX_PATH_DEPTH`).
    public var maxPathDepth = 32
    /// Most distinct directories one upload may name (`MAX_UPLOAD_DIRECTORIES`).
    public var maxUploadDirectories = 5_000
    /// The most one user may keep in the blob store (`USER_QUOTA_BYTES`, `_FILES`, `_DIRECTORIES`).
    public var userQuota = BlobQuota(bytes: 256 * 1024 * 1024, files: 50_000, directories: 20_000)
    /// Bytes the personal models held in memory may take together (`USER_MODEL_CACHE_BYTES`).
    public var userModelCacheBytes = 512 * 1024 * 1024
    /// The `write(2)` behind every file the predictor writes (tests stand in a full disk).
    public var writeCall: DurableFileWriter.WriteCall = DurableFileWriter.systemWrite
    /// The llm upstream, if configured.
    public var llm: LLMSettings?
    /// The blob store (default: `DatabaseBlobStore` with `DATABASE_URL`, else `FileBlobStore`
    /// under `DATA_DIR/blobs`).
    public var blobStore: (any BlobStore)?
    /// `DATABASE_URL`: the database holding the uploads (nil: files under `DATA_DIR/blobs`).
    public var database: DatabaseLocation?
    /// `DATABASE_POOL_SIZE`: PostgreSQL connections of this replica.
    public var databasePoolSize = 4
    /// The PostgreSQL schema of the uploads (not a setting: tests use one of their own).
    public var databaseSchema = DatabaseBlobStore.postgresSchema
    /// `USER_MODELS_DIR`: the personal models (default `DATA_DIR/users`); with
    /// `DATABASE_URL`, one volume shared by every replica.
    public var userModelsDirectory: URL?
    /// Whether other replicas save personal models too (`DATABASE_URL` set).
    public var sharedUserModels: Bool { database != nil }
    /// How long a `/predict` that arrives during a cold start waits for the base model.
    public var baseModelWait: Duration = .seconds(2)

    /// Options with defaults for everything but the two directories (tests).
    public init(corpusDirectory: URL?, dataDirectory: URL) {
        self.corpusDirectory = corpusDirectory
        self.dataDirectory = dataDirectory
    }

    /// Reads and validates the settings.
    public init(config: Config) throws {
        self.init(corpusDirectory: try config.directory("CORPUS_DIR"), dataDirectory: try config.dataDirectory())
        maxFileBytes = try config.integer("MAX_FILE_BYTES", in: 1...Int.max)
        maxUploadBodyBytes = max(maxFileBytes, try config.integer("MAX_BODY_BYTES", in: 1...Int.max))
        maxUploadFiles = try config.integer("MAX_UPLOAD_FILES", in: 1...Int.max)
        maxPathDepth = try config.integer("MAX_PATH_DEPTH", in: 1...UploadPaths.maxPathBytes)
        maxUploadDirectories = try config.integer("MAX_UPLOAD_DIRECTORIES", in: 0...Int.max)
        userQuota = BlobQuota(bytes: try config.integer("USER_QUOTA_BYTES", in: 1...Int.max),
                              files: try config.integer("USER_QUOTA_FILES", in: 1...Int.max),
                              directories: try config.integer("USER_QUOTA_DIRECTORIES", in: 0...Int.max))
        userModelCacheBytes = try config.integer("USER_MODEL_CACHE_BYTES", in: 0...Int.max)
        database = try config.string("DATABASE_URL").trimmingCharacters(in: .whitespaces).isEmpty
            ? nil : try config.databaseLocation(sqliteFile: "predictor.sqlite")
        databasePoolSize = try config.databasePoolSize()
        userModelsDirectory = try config.directory("USER_MODELS_DIR")
        baseModelWait = try config.duration("BASE_MODEL_WAIT_MS", unit: .milliseconds(1))
        llm = try Self.llmSettings(config)
    }

    /// The llm upstream: on when `LLM_BASE_URL` or `LLM_MODEL` is set. Its base URL is
    /// `LLM_BASE_URL`, by default aibridge-query's bridge (`<AIBRIDGE_URL>/api/v2/aibridge/openai/v1`);
    /// calls to the bridge carry the internal token and the user's identity, so they are
    /// recorded under the user.
    static func llmSettings(_ config: Config) throws -> LLMSettings? {
        let model = try config.string("LLM_MODEL").trimmingCharacters(in: .whitespaces)
        let configuredBase = try config.url("LLM_BASE_URL")
        guard configuredBase != nil || !model.isEmpty else { return nil }
        var bridge = try config.url("AIBRIDGE_URL") ?? ""
        while bridge.hasSuffix("/") { bridge.removeLast() }
        let base = configuredBase ?? bridge + LLMSettings.bridgeOpenAIPath
        let viaBridge = !bridge.isEmpty && base.hasPrefix(bridge + "/")
        return LLMSettings(baseURL: base, apiKey: try config.string("LLM_API_KEY"), model: model,
                           timeout: try config.duration("LLM_TIMEOUT_MS", unit: .milliseconds(1), minimum: 1),
                           bridgeInternalToken: viaBridge ? try config.string("INTERNAL_TOKEN") : nil)
    }
}
