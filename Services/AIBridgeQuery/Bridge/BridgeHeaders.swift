import HTTPCore
import LLMWire

/// Which header fields cross the bridge. Upstream, only what the APIs need goes (a fixed
/// list: nothing of the caller's credentials, identity, internal token or `X-Internal-*`
/// can leak to a provider); back, everything but hop-by-hop and framing fields.
enum BridgeHeaders {
    /// Client fields passed upstream as they came (Anthropic's version and beta flags).
    static let anthropicForwarded = ["anthropic-version", "anthropic-beta"]

    /// The upstream request's fields: JSON in, the client's `Accept` and `User-Agent`, an
    /// uncompressed answer (the bridge reads it), the upstream's auth header, and for
    /// Anthropic the client's `anthropic-version` / `anthropic-beta`.
    static func upstreamRequest(from client: HTTPHeaders, to upstream: ProviderUpstream, hasBody: Bool) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.reserveCapacity(8)
        if hasBody { headers.add("Content-Type", "application/json") }
        headers.add("Accept", client["Accept"] ?? "application/json")
        headers.add("Accept-Encoding", "identity")
        if let agent = client["User-Agent"] { headers.add("User-Agent", agent) }
        if let authorization = upstream.authorization { headers.add(authorization.name, authorization.value) }
        if upstream.provider == .anthropic {
            for name in anthropicForwarded {
                for value in client.values(name) { headers.add(name, value) }
            }
        }
        return headers
    }

    /// Response fields never passed back: hop-by-hop and framing (the bridge's server frames
    /// the answer), `Date` (its server sets one) and cookies of the upstream.
    static let droppedFromResponses: Set<String> = ["connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade",
                                                     "content-length", "date", "set-cookie", "proxy-authenticate",
                                                     "proxy-connection"]

    /// The upstream response's fields as the client gets them.
    static func clientResponse(from upstream: HTTPHeaders) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.reserveCapacity(upstream.count)
        for (name, value) in upstream where !droppedFromResponses.contains(name.lowercased()) { headers.add(name, value) }
        return headers
    }

    /// Whether a response is a stream of server-sent events.
    static func isEventStream(_ headers: HTTPHeaders) -> Bool {
        guard let type = headers["Content-Type"] else { return false }
        return type.lowercased().hasPrefix("text/event-stream")
    }
}
