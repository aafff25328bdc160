import ServiceKit

extension StoreError {
    /// As an HTTP error: 404, 409 or 400.
    var serviceError: ServiceError {
        switch self {
        case .notFound(let message): .notFound(message)
        case .conflict(let message): .conflict(message)
        case .invalid(let message): .badRequest(message)
        }
    }
}
