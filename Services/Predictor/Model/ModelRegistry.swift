/// Looks completion models up by name.
public struct ModelRegistry: Sendable {
    private var models: [String: any CompletionModel] = [:]
    /// The model used when a request names none.
    public var defaultName = "auto"

    /// Creates an empty registry.
    public init() {}

    /// A registry with the local models: `ngram`, `symbols` and `auto`.
    public static func standard() -> ModelRegistry {
        var r = ModelRegistry()
        r.register(NGramCompletionModel())
        r.register(SymbolCompletionModel())
        r.register(AutoCompletionModel())
        return r
    }

    /// Adds or replaces a model under its name.
    public mutating func register(_ model: any CompletionModel) {
        models[model.name] = model
    }

    /// The model called `name` (nil or empty: the default), if registered.
    public func model(named name: String?) -> (any CompletionModel)? {
        let key = (name?.isEmpty ?? true) ? defaultName : name!
        return models[key]
    }

    /// Registered names, sorted.
    public var names: [String] { models.keys.sorted() }
}
