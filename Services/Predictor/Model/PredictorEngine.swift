import Crypto
import Foundation
import ServiceKit

/// The completion engine the HTTP layer calls: owns the base model (loaded from its cache or
/// trained in the background), one personal model per user (persisted under `userDirectory`)
/// and the model registry.
public actor PredictorEngine {
    /// Where things live.
    public struct Configuration: Sendable {
        /// Directory of `.py` files for the base model (nil: the machine's Python stdlib).
        public var corpusDirectory: URL?
        /// The base model's cache file.
        public var baseCacheFile: URL
        /// Directory holding one `<user>.umodel` file per user (nil: not persisted).
        public var userDirectory: URL?
        /// n-gram order.
        public var order: Int
        /// Creates a configuration.
        public init(corpusDirectory: URL? = nil, baseCacheFile: URL, userDirectory: URL? = nil, order: Int = 4) {
            self.corpusDirectory = corpusDirectory
            self.baseCacheFile = baseCacheFile
            self.userDirectory = userDirectory
            self.order = order
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
    private var users: [String: UserModel] = [:]
    private var generations: [String: Int] = [:]

    /// Creates an engine; `loadBaseModel()` loads or trains the base model.
    public init(configuration: Configuration, registry: ModelRegistry = .standard()) {
        self.configuration = configuration
        self.registry = registry
    }

    /// Uses an already built base model (tests, tools).
    public func setBaseModel(_ model: NGramModel?) { base = model }

    /// Adds or replaces a model in the registry.
    public func register(_ model: any CompletionModel) { registry.register(model) }

    /// Whether the base model is ready.
    public var isBaseReady: Bool { base != nil }

    /// Loads the cached base model, or trains it, off the actor; returns whether a base
    /// corpus was found (false: the engine predicts without a base model).
    public func loadBaseModel() async -> Bool {
        if base != nil { return true }
        let configuration = self.configuration
        let found = configuration.corpusDirectory == nil ? await BaseCorpus.pythonStandardLibrary() : nil
        guard let root = configuration.corpusDirectory ?? found else { return false }
        // Seconds of CPU on the standard library: on a thread of its own, not the cooperative
        // pool (two threads on two cores), so requests are served meanwhile.
        let model = await DedicatedThread.run(name: "predictor-base-model") {
            BaseCorpus(root: root).loadOrTrain(cache: configuration.baseCacheFile, order: configuration.order)
        }
        base = model
        return true
    }

    /// Predicts completions for `fileText` (which contains `<cursor>` once) for `user`.
    public func predict(user: String?, fileText: String, n: Int = 3, model: String? = nil) async throws(PredictError) -> Prediction {
        guard let m = registry.model(named: model) else { throw .unknownModel(model ?? "") }
        let ctx: CompletionContext
        do {
            ctx = try CompletionContext(fileText: fileText, resources: ModelResources(base: base, user: user.flatMap { userModel($0) }))
        } catch { throw .badCursor(error) }
        let cands = await m.complete(ctx, n: max(0, min(n, 10)))
        return Prediction(predictions: cands.map(\.text), model: m.name)
    }

    /// Adds or replaces a user's uploaded files (`path -> source`; only `.py` paths count) and
    /// persists the user's model. The rebuild runs off the actor, so predictions are not blocked;
    /// concurrent uploads for one user are applied in turn (none is lost).
    public func upload(user: String, files: [String: String]) async {
        let start = userModel(user) ?? UserModel(order: configuration.order)
        let gen = generations[user, default: 0]
        let built = await DedicatedThread.run(name: "predictor-user-model") { () -> UserModel in
            var u = start
            u.update(files: files)
            return u
        }
        var result = built
        if generations[user, default: 0] != gen, var newer = users[user] {
            // Another upload finished meanwhile: apply ours on top of it.
            newer.update(files: files)
            result = newer
        }
        generations[user, default: 0] += 1
        users[user] = result
        persist(user: user, model: result)
    }

    /// The user's model, loading it from disk on first use.
    public func userModel(_ user: String) -> UserModel? {
        if let u = users[user] { return u }
        guard let url = fileURL(user: user), let d = try? Data(contentsOf: url), let u = try? UserModel(serialized: d) else {
            return nil
        }
        users[user] = u
        return u
    }

    private func fileURL(user: String) -> URL? {
        guard let dir = configuration.userDirectory else { return nil }
        let safe = Hex.encode(user.utf8)
        return dir.appendingPathComponent("\(safe).umodel")
    }

    private func persist(user: String, model: UserModel) {
        guard let url = fileURL(user: user) else { return }
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? model.serialized().write(to: url, options: .atomic)
    }
}
