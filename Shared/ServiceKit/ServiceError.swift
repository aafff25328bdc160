import HTTPCore

/// The one error type services throw. ServiceKit renders it in the service's own
/// error envelope, with its status and headers.
public struct ServiceError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPStatus
    /// The main message (`description`, `detail`, `message` or `Error` by envelope).
    public var message: String
    /// A second, longer explanation (coder's `detail`), if any.
    public var detail: String?
    /// Per-field problems (coder's `validations`), if any.
    public var validations: [(field: String, detail: String)]
    /// Extra response headers (e.g. `Retry-After`, `WWW-Authenticate`, `Allow`).
    public var headers: HTTPHeaders

    public init(_ status: HTTPStatus, _ message: String, detail: String? = nil,
                validations: [(field: String, detail: String)] = [], headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.message = message
        self.detail = detail
        self.validations = validations
        self.headers = headers
    }

    public var description: String { "\(status.code) \(message)" }

    /// 400 with a message.
    public static func badRequest(_ m: String, detail: String? = nil) -> ServiceError { ServiceError(.badRequest, m, detail: detail) }
    /// 401 with a message.
    public static func unauthorized(_ m: String) -> ServiceError { ServiceError(.unauthorized, m) }
    /// 403 with a message.
    public static func forbidden(_ m: String) -> ServiceError { ServiceError(.forbidden, m) }
    /// 404 with a message.
    public static func notFound(_ m: String) -> ServiceError { ServiceError(.notFound, m) }
    /// 409 with a message.
    public static func conflict(_ m: String) -> ServiceError { ServiceError(.conflict, m) }
    /// 413 with a message.
    public static func tooLarge(_ m: String) -> ServiceError { ServiceError(.payloadTooLarge, m) }
    /// 422 with a message.
    public static func unprocessable(_ m: String) -> ServiceError { ServiceError(.unprocessable, m) }
}
