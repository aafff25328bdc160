import HTTPCore
import LLMWire

/// Where one provider's calls go: a base URL and the key sent with each call. The key is
/// only ever put in the upstream request's auth header: never logged, never recorded.
struct ProviderUpstream: Sendable {
    /// The wire format (and so the path layout and the auth header).
    let provider: LLMProvider
    /// The base URL, without a trailing `/`.
    let baseURL: String
    /// The key (empty: no auth header is sent).
    let key: String

    /// An upstream at `baseURL` (a trailing `/` is dropped) with `key`.
    init(provider: LLMProvider, baseURL: String, key: String) {
        self.provider = provider
        var base = Substring(baseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        self.baseURL = String(base)
        self.key = key
    }

    /// The upstream URL of a bridge path: `rest` is what follows `/openai/v1/` or
    /// `/anthropic/v1/`. OpenAI's base URL ends in its version (`https://api.openai.com/v1`),
    /// Anthropic's does not (`https://api.anthropic.com`, then `/v1/<rest>`). The query string
    /// is kept as it came.
    func url(rest: String, query: String?) -> String {
        var url = baseURL
        switch provider {
        case .openai: url += "/" + rest
        case .anthropic: url += "/v1/" + rest
        }
        if let query { url += "?" + query }
        return url
    }

    /// The auth header this upstream expects (`Authorization: Bearer` for OpenAI, `x-api-key`
    /// for Anthropic), nil without a key.
    var authorization: (name: String, value: String)? {
        guard !key.isEmpty else { return nil }
        switch provider {
        case .openai: return ("Authorization", "Bearer " + key)
        case .anthropic: return ("x-api-key", key)
        }
    }
}
