/// The trained models available to one request (a snapshot; nil while not ready).
public struct ModelResources: Sendable {
    /// The base model trained on the corpus, if ready.
    public var base: NGramModel?
    /// The requesting user's personal model, if any.
    public var user: UserModel?

    /// Creates a snapshot.
    public init(base: NGramModel? = nil, user: UserModel? = nil) {
        self.base = base
        self.user = user
    }
}
