import Crypto
import Foundation
import ServiceKit

/// The completion engine the HTTP layer calls: owns the base model (loaded from its cache or
/// trained in the background), the personal models (saved under `userDirectory`, held in
/// memory within a byte budget) and the model registry.
///
/// The actor only hands out snapshots and records results: building, saving and loading a
/// personal model run on threads of their own, and a prediction's work runs off the actor,
/// so no user's prediction waits on another user's disk I/O or training.
public actor PredictorEngine {
    /// Where things live and how much memory personal models may take.
    public struct Configuration: Sendable {
        /// Directory of `.py` files for the base model (nil: the machine's Python stdlib).
        public var corpusDirectory: URL?
        /// The base model's cache file.
        public var baseCacheFile: URL
        /// Directory holding one `<user>.umodel` file per user (nil: not persisted).
        public var userDirectory: URL?
        /// n-gram order.
        public var order: Int
        /// Bytes the personal models held in memory may take together (`USER_MODEL_CACHE_BYTES`).
        public var userModelCacheBytes: Int
        /// Writes the model files (durably; tests stand in a failing disk).
        public var writer: DurableFileWriter
        /// Whether other replicas save models into `userDirectory` too (`DATABASE_URL` set):
        /// each use then checks the file's stamp and reloads a model another replica saved.
        public var sharedUserDirectory = false
        /// Creates a configuration.
        public init(corpusDirectory: URL? = nil, baseCacheFile: URL, userDirectory: URL? = nil, order: Int = 4,
                    userModelCacheBytes: Int = 512 * 1024 * 1024, writer: DurableFileWriter = DurableFileWriter()) {
            self.corpusDirectory = corpusDirectory
            self.baseCacheFile = baseCacheFile
            self.userDirectory = userDirectory
            self.order = order
            self.userModelCacheBytes = userModelCacheBytes
            self.writer = writer
        }
    }

    /// The result of one prediction.
    public struct Prediction: Sendable, Equatable {
        /// Completions, best first.
        public var predictions: [String]
        /// The model that produced them.
        public var model: String
    }

    /// Errors of `predict`.
    public enum PredictError: Error, Sendable, Equatable {
        /// The file has no or several cursor markers.
        case badCursor(CompletionError)
        /// The requested model is not registered.
        case unknownModel(String)
    }

    /// The configuration.
    public let configuration: Configuration
    /// Registered models (add an `llm` model with `register`).
    public private(set) var registry: ModelRegistry
    private var base: NGramModel?
    private let files: UserModelFiles?
    private let metrics: Metrics?
    private var cache: UserModelCache
    /// Users known to have no saved model (no file is looked for again).
    private var withoutModel: Set<String> = []
    /// Loads from disk in flight, one per user; they install their result themselves.
    private var loads: [String: Task<UserModel?, Never>] = [:]
    /// Bumped whenever an upload installs a user's model (a load that read an older file does not install it).
    private var versions: [String: Int] = [:]
    /// With a shared model directory: the stamp of the file each held model (or known
    /// absence) came from.
    private var stamps: [String: UserModelStamp] = [:]
    /// Uploads waiting for the user's previous upload to finish (a user's uploads apply in turn).
    private var uploadQueues: [String: [CheckedContinuation<Void, Never>]] = [:]
    /// Returns the memory an upload's parsing and rebuild freed to the system.
    private let heapTrimmer = HeapTrimmer()

    /// Creates an engine; `loadBaseModel()` loads or trains the base model. With `metrics`,
    /// the personal models' memory, loads, evictions and failed saves are counted.
    public init(configuration: Configuration, registry: ModelRegistry = .standard(), metrics: Metrics? = nil) {
        self.configuration = configuration
        self.registry = registry
        self.metrics = metrics
        self.files = configuration.userDirectory.map { UserModelFiles(directory: $0, writer: configuration.writer) }
        self.cache = UserModelCache(budget: configuration.userModelCacheBytes)
    }

    /// Uses an already built base model (tests, tools).
    public func setBaseModel(_ model: NGramModel?) { base = model }

    /// Adds or replaces a model in the registry.
    public func register(_ model: any CompletionModel) { registry.register(model) }

    /// Whether the base model is ready.
    public var isBaseReady: Bool { base != nil }

    /// Loads the cached base model, or trains it, off the actor; returns whether a base
    /// corpus was found (false: the engine predicts without a base model) and why the
    /// model's cache could not be written, if it could not.
    public func loadBaseModel() async -> (found: Bool, cacheError: StorageWriteError?) {
        if base != nil { return (true, nil) }
        let configuration = self.configuration
        let found = configuration.corpusDirectory == nil ? await BaseCorpus.pythonStandardLibrary() : nil
        guard let root = configuration.corpusDirectory ?? found else { return (false, nil) }
        // Seconds of CPU on the standard library: on a thread of its own, not the cooperative
        // pool (two threads on two cores), so requests are served meanwhile.
        let loaded = await DedicatedThread.run(name: "predictor-base-model") {
            BaseCorpus(root: root).loadOrTrain(cache: configuration.baseCacheFile, order: configuration.order,
                                               writer: configuration.writer)
        }
        base = loaded.model
        return (true, loaded.cacheError)
    }

    /// Predicts completions for `fileText` (which contains `<cursor>` once) for `user`. The
    /// actor hands out the models; the file is analysed and decoded off it.
    public nonisolated func predict(user: String?, fileText: String, n: Int = 3, model: String? = nil) async throws(PredictError) -> Prediction {
        let (chosen, resources) = try await snapshot(user: user, model: model)
        let context: CompletionContext
        do { context = try CompletionContext(fileText: fileText, resources: resources) } catch { throw .badCursor(error) }
        let candidates = await chosen.complete(context, n: max(0, min(n, 10)))
        return Prediction(predictions: candidates.map(\.text), model: chosen.name)
    }

    /// The model named `model` and the models a prediction for `user` uses.
    private func snapshot(user: String?, model: String?) async throws(PredictError) -> (any CompletionModel, ModelResources) {
        guard let chosen = registry.model(named: model) else { throw .unknownModel(model ?? "") }
        var personal: UserModel?
        if let user { personal = await userModel(user) }
        return (chosen, ModelResources(base: base, user: personal))
    }

    /// Adds or replaces a user's uploaded files (`path -> source`; only `.py` paths count),
    /// saves the user's model, then uses it. The rebuild and the save run on a thread of
    /// their own; a user's uploads apply in turn (none is lost), with a shared models directory
    /// across replicas too (`UserModelLock`: the model is re-read under it when another
    /// replica saved one since). When the save fails the
    /// error is thrown and the previous model stays in use, in memory and on disk.
    public func upload(user: String, files uploaded: [String: String]) async throws(StorageWriteError) {
        await waitForTurn(user)
        defer { finishTurn(user) }
        let start = await userModel(user) ?? UserModel(order: configuration.order)
        let startStamp = stamps[user]
        let files = self.files
        let shared = configuration.sharedUserDirectory
        let order = configuration.order
        let built: (model: UserModel, bytes: Int, stamp: UserModelStamp?)
        do {
            built = try await DedicatedThread.run(name: "predictor-user-model") { () throws(StorageWriteError) -> (model: UserModel, bytes: Int, stamp: UserModelStamp?) in
                var model = start
                // Replicas: under the user's lock, from the model last saved by any of them.
                let lock = shared ? try files?.lock(user: user) : nil
                defer { lock?.release() }
                if let files, lock != nil, files.stamp(user: user) != startStamp {
                    switch files.load(user: user) {
                    case .loaded(let saved): model = saved
                    case .missing: model = UserModel(order: order)
                    case .unreadable: break
                    }
                }
                model.update(files: uploaded)
                try files?.save(model, user: user)
                return (model, model.estimatedBytes, files?.stamp(user: user))
            }
        } catch {
            metrics?.increment("user_model_save_failures_total", help: "Personal models that could not be saved (the previous one is kept)")
            throw error
        }
        versions[user, default: 0] += 1
        withoutModel.remove(user)
        stamps[user] = built.stamp
        install(built.model, bytes: built.bytes, for: user)
        heapTrimmer.request()
    }

    /// The user's model: held in memory, else loaded from its file on a thread of its own
    /// (only this user's requests wait for it); nil when the user has none.
    public func userModel(_ user: String) async -> UserModel? {
        if configuration.sharedUserDirectory, let files, files.stamp(user: user) != stamps[user] {
            // Another replica saved (or removed) the model since this one read it.
            cache.remove(user)
            withoutModel.remove(user)
            versions[user, default: 0] += 1
        }
        if let model = cache.use(user) { return model }
        guard let files, !withoutModel.contains(user) else { return nil }
        if let pending = loads[user] { return await pending.value }
        let version = versions[user, default: 0]
        let load = Task { () -> UserModel? in
            let found = await DedicatedThread.run(name: "predictor-user-load") { () -> (model: UserModel, bytes: Int, stamp: UserModelStamp?)? in
                let stamp = files.stamp(user: user)
                guard case .loaded(let model) = files.load(user: user) else { return nil }
                return (model, model.estimatedBytes, stamp)
            }
            return self.finishLoad(user, found, version: version)
        }
        loads[user] = load
        return await load.value
    }

    /// Records a finished load: installs the model unless an upload replaced it meanwhile.
    private func finishLoad(_ user: String, _ found: (model: UserModel, bytes: Int, stamp: UserModelStamp?)?, version: Int) -> UserModel? {
        loads[user] = nil
        if let held = cache.use(user) { return held }
        guard let found else {
            if versions[user, default: 0] == version {
                withoutModel.insert(user)
                stamps[user] = nil
            }
            return nil
        }
        metrics?.increment("user_model_loads_total", help: "Personal models loaded from disk (after a start or an eviction)")
        if versions[user, default: 0] == version {
            stamps[user] = found.stamp
            install(found.model, bytes: found.bytes, for: user)
        }
        return found.model
    }

    /// Holds a model, evicting others past the budget, and updates the gauges.
    private func install(_ model: UserModel, bytes: Int, for user: String) {
        let evicted = cache.insert(model, bytes: bytes, for: user)
        if evicted > 0 { heapTrimmer.request() }
        guard let metrics else { return }
        if evicted > 0 {
            metrics.increment("user_model_evictions_total", help: "Personal models dropped from memory for USER_MODEL_CACHE_BYTES (reloaded on use)",
                              by: Double(evicted))
        }
        metrics.set("user_models_loaded", help: "Personal models held in memory", Double(cache.count))
        metrics.set("user_models_bytes", help: "Estimated bytes of the personal models held in memory", Double(cache.totalBytes))
    }

    /// The personal models held in memory: how many, and their estimated bytes.
    public var heldUserModels: (count: Int, bytes: Int) { (cache.count, cache.totalBytes) }

    /// Waits until no other upload of `user` runs.
    private func waitForTurn(_ user: String) async {
        guard uploadQueues[user] != nil else {
            uploadQueues[user] = []
            return
        }
        await withCheckedContinuation { uploadQueues[user, default: []].append($0) }
    }

    /// Lets the next upload of `user` run.
    private func finishTurn(_ user: String) {
        guard var waiting = uploadQueues[user], !waiting.isEmpty else {
            uploadQueues[user] = nil
            return
        }
        let next = waiting.removeFirst()
        uploadQueues[user] = waiting
        next.resume()
    }
}
