import HTTPCore
import ServiceKit

extension Gateway {
    /// The query parameter a browser puts its session id in on `/ws`: a browser's WebSocket
    /// API cannot set request headers.
    static let webSocketSessionParameter = "session_id"

    /// On a route that tunnels WebSockets (`/ws` only), the request with its `session_id`
    /// query parameter taken out of the query (never forwarded, never logged: the access
    /// log writes the path alone) and, when the request carries no credential header, put
    /// in as `Session-ID`, so it is authenticated like any session. Every other route's
    /// request is returned unchanged: a `session_id` elsewhere is not a credential.
    static func liftingQuerySession(_ request: Request, along route: ProxyRoute) -> Request {
        guard route.tunnelsWebSockets, let query = request.http.query, query.contains(webSocketSessionParameter) else { return request }
        var session: String?
        var kept: [Substring] = []
        for item in query.split(separator: "&", omittingEmptySubsequences: false) {
            let name = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]
            if FormCoding.percentDecode(name, plusAsSpace: true) == webSocketSessionParameter {
                if session == nil, let equals = item.firstIndex(of: "=") {
                    session = FormCoding.percentDecode(item[item.index(after: equals)...], plusAsSpace: true)
                }
            } else {
                kept.append(item)
            }
        }
        var lifted = request
        lifted.http.query = kept.isEmpty ? nil : kept.joined(separator: "&")
        if let session, !session.isEmpty, Credential(headers: request.headers) == nil {
            lifted.http.headers.set("Session-ID", session)
        }
        return lifted
    }
}
