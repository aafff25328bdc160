/// One failed field of a request, as coder's `validations` list it.
public struct QueryValidationError: Error, Sendable, Equatable {
    /// The query parameter or `q` key.
    public var field: String
    /// coder's text.
    public var detail: String

    /// A validation.
    public init(field: String, detail: String) {
        self.field = field
        self.detail = detail
    }
}
