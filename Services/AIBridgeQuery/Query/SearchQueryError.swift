/// A `q` that cannot be used: every failed field.
public struct SearchQueryError: Error, Sendable, Equatable {
    /// The failures, as coder's `validations`.
    public var validations: [QueryValidationError]

    /// An error.
    public init(validations: [QueryValidationError]) { self.validations = validations }
}
