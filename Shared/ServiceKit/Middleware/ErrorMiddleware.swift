import Foundation
import HTTPCore
import JSON

/// Turns every thrown error into a response in the service's envelope. Client mistakes
/// keep their status; anything else is a logged 500 with no internals in the body.
public struct ErrorMiddleware: Middleware {
    let envelope: ErrorEnvelope
    let logger: Logger

    public init(envelope: ErrorEnvelope, logger: Logger) {
        self.envelope = envelope
        self.logger = logger
    }

    public func handle(_ request: Request, next: Next) async throws -> HTTPResponse {
        do {
            return try await next(request)
        } catch {
            return render(error, request: request)
        }
    }

    /// The response for an error.
    public func render(_ error: Error, request: Request) -> HTTPResponse {
        switch error {
        case let e as ServiceError:
            return envelope.render(e)
        case let e as BodyTooLargeError:
            return envelope.render(.tooLarge("request body exceeds \(e.limit) bytes"))
        case let e as HTTPParseError:
            return envelope.render(ServiceError(HTTPStatus(e.status), e.reason))
        case is DecodingError, is JSONParseError:
            return envelope.render(.badRequest(JSON.describe(error)))
        case is CancellationError:
            return envelope.render(ServiceError(.serviceUnavailable, "request cancelled"))
        default:
            logger.error("unhandled error", requestID: request.requestID, [("error", String(describing: error)), ("route", request.route)])
            return envelope.render(ServiceError(.internalServerError, "internal error (request id \(request.requestID))"))
        }
    }
}
