import HTTPCore

/// An upstream's response; the body streams.
public struct UpstreamResponse: Sendable {
    /// The status.
    public var status: HTTPStatus
    /// The header fields, as the upstream sent them.
    public var headers: HTTPHeaders
    /// The body, as it arrives.
    public var body: RequestBody
    /// After an upgrade request answered `101`: the upstream connection, raw bytes both ways.
    public var upgraded: UpgradedConnection?

    /// A response.
    public init(status: HTTPStatus, headers: HTTPHeaders, body: RequestBody, upgraded: UpgradedConnection? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.upgraded = upgraded
    }
}
