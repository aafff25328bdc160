import HTTPCore

/// Why a `multipart/form-data` body was refused: malformed (400), over a limit (413), or not
/// multipart at all (415). `serviceError` is the answer in the service's own envelope.
public struct MultipartError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of failure.
    public enum Kind: Sendable, Equatable {
        /// The Content-Type is not `multipart/form-data`.
        case notMultipart
        /// No usable `boundary` parameter.
        case badBoundary
        /// The body breaks RFC 7578 / RFC 2046 framing or header rules.
        case malformed
        /// More parts than `MultipartLimits.maxParts`.
        case tooManyParts
        /// A part's header block over `MultipartLimits.maxPartHeaderBytes`.
        case headerTooLarge
        /// A part's body over `MultipartLimits.maxPartBytes` (or a caller's cap).
        case partTooLarge
        /// The whole body over `MultipartLimits.maxTotalBytes`.
        case bodyTooLarge
    }

    /// What went wrong.
    public var kind: Kind
    /// A message for the client, naming the limit or the rule.
    public var message: String

    /// An error of `kind` with `message`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// 415, 413 or 400.
    public var status: HTTPStatus {
        switch kind {
        case .notMultipart: HTTPStatus(415)
        case .tooManyParts, .headerTooLarge, .partTooLarge, .bodyTooLarge: .payloadTooLarge
        case .badBoundary, .malformed: .badRequest
        }
    }

    /// The error as the service answers it.
    public var serviceError: ServiceError { ServiceError(status, message) }

    public var description: String { "\(status.code) \(message)" }
}
