import HTTPCore
import ServiceKit

/// Placeholder until the pooled HTTPClient lands in HTTPCore: every exchange fails as
/// unreachable (502).
struct UnavailableTransport: UpstreamTransport {
    func send(_ request: UpstreamRequest, to upstream: Upstream) async throws -> UpstreamResponse {
        throw UpstreamError.unreachable("no HTTP client available")
    }
    func shutdown() async {}
    func classify(_ error: any Error) -> UpstreamError { .unreachable(String(describing: error)) }
}

extension AuthGatewayService {
    /// The production transport.
    public static func defaultTransport(_ config: Config) -> any UpstreamTransport { UnavailableTransport() }
}
