import HTTPCore
import ServiceKit

/// A caller-supplied upstream (task-manager's SFT `config.baseUrl` / `config.apiKey`):
/// `X-Internal-Upstream-Base-URL` and `X-Internal-Upstream-Key`. Only a request carrying the
/// valid internal token reaches the bridge at all (ServiceKit answers 401 otherwise), and the
/// gateway drops every client-sent `X-Internal-*` header, so only our own services can set
/// them. The key is used for that call only: never stored, never logged.
struct UpstreamOverride: Sendable {
    /// The header naming the upstream's base URL (the same layout as the provider's setting).
    static let baseURLHeader = "X-Internal-Upstream-Base-URL"
    /// The header carrying the upstream's key.
    static let keyHeader = "X-Internal-Upstream-Key"

    /// The caller's base URL, if it sent one.
    let baseURL: String?
    /// The caller's key, if it sent one.
    let key: String?

    /// The override a request carries (none when it sent neither header); 400 when the base
    /// URL is not an `http://` or `https://` URL.
    init(headers: HTTPHeaders) throws(ServiceError) {
        let base = headers[Self.baseURLHeader]?.trimmedOfSpaces
        let key = headers[Self.keyHeader]?.trimmedOfSpaces
        if let base, !base.isEmpty {
            let lower = base.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://"),
                  base.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw ServiceError.badRequest("Invalid upstream.", detail: "\(Self.baseURLHeader) must be an http:// or https:// URL")
            }
            baseURL = base
        } else {
            baseURL = nil
        }
        self.key = key.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The upstream a call goes to: the caller's base URL with the caller's key (never the
    /// configured key: it is not sent to an address the operator did not configure), or the
    /// configured base URL with the caller's key, or the configured upstream as it is.
    func applied(to configured: ProviderUpstream) -> ProviderUpstream {
        if let baseURL { return ProviderUpstream(provider: configured.provider, baseURL: baseURL, key: key ?? "") }
        if let key { return ProviderUpstream(provider: configured.provider, baseURL: configured.baseURL, key: key) }
        return configured
    }
}
