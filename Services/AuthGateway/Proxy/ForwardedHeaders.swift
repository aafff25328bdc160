import Contracts
import HTTPCore
import ServiceKit

/// Which header fields cross the gateway, and the head it sends upstream: credentials and
/// client-sent identity never go up, hop-by-hop fields go neither way, and the caller's
/// identity, the internal token, the request id and the forwarding fields are added.
enum ForwardedHeaders {
    /// Request headers never forwarded: credentials (the gateway consumed them) and
    /// client-sent identity (only the gateway may set it).
    static let credentialHeaders = ["Session-ID", "Authorization", "Coder-Session-Token", "API-Key", Credential.anthropicKeyHeader]

    /// Request headers whose names begin with this (in any case) are never forwarded: they
    /// are for our services' calls to each other (`X-Internal-Token`,
    /// `X-Internal-Upstream-Base-URL`, `X-Internal-Upstream-Key`, …), never a client's.
    static let internalPrefix = "X-Internal-"

    /// Whether `name` begins with `X-Internal-` (any case).
    @inline(__always)
    static func isInternal(_ name: String) -> Bool {
        name.utf8.count >= 11 && HTTPHeaders.equalsIgnoringCase(name.prefix(11), internalPrefix)
    }
    /// Hop-by-hop headers (RFC 9110 §7.6.1), plus framing the client/server set themselves.
    static let hopByHop = HeaderDropList(["Connection", "Keep-Alive", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
                                          "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "Host"])

    /// Forwarding fields a client may not set: a service reading them would take the
    /// client's word for its address (the gateway sets `X-Forwarded-For` itself).
    static let clientForwarding = ["Forwarded", "X-Real-IP"]

    /// Every request header the gateway never forwards: hop-by-hop, credentials,
    /// client-sent identity and forwarding fields, and the request id (set afresh).
    /// (`Expect: 100-continue` is answered by the gateway's own server, not forwarded.)
    static let dropFromRequests = HeaderDropList(hopByHop.names + credentialHeaders + IdentityHeaders.all + clientForwarding
                                                 + [requestIDHeader, "Expect"])

    /// Response headers never passed back: hop-by-hop, plus `Date` and the request id
    /// (the gateway's own server sets both).
    static let dropFromResponses = HeaderDropList(hopByHop.names + ["Date", requestIDHeader])

    /// One pass over `headers`, calling `keep` with each field not dropped: `dropped`, any
    /// `Proxy-*`, and the fields the `Connection` field names. Fields are examined in place.
    @inline(__always)
    static func forEachKept<Failure: Error>(_ headers: HTTPHeaders, dropping dropped: HeaderDropList,
                                            _ keep: (_ name: String, _ value: String) throws(Failure) -> Void) throws(Failure) {
        var namedByConnection: [Substring] = []
        if let connection = headers.index(of: "Connection") {
            for (name, value) in headers.fields[connection...] where HTTPHeaders.equalsIgnoringCase(name, "Connection") {
                for token in value.split(separator: ",") { namedByConnection.append(token.trimmingSpaces) }
            }
        }
        let fields = headers.fields
        nextField: for index in fields.indices {
            let length = fields[index].name.utf8.count
            if dropped.contains(fields[index].name, length: length) { continue }
            if length > 6 && HTTPHeaders.equalsIgnoringCase(fields[index].name.prefix(6), "Proxy-") { continue }
            for named in namedByConnection where HTTPHeaders.equalsIgnoringCase(named, fields[index].name) { continue nextField }
            try keep(fields[index].name, fields[index].value)
        }
    }

    /// `headers` without the fields `forEachKept` drops, with room for the two or three
    /// the gateway adds to a response (the request id, CORS) without growing.
    static func filtered(_ headers: HTTPHeaders, dropping dropped: HeaderDropList) -> HTTPHeaders {
        var kept: [(name: String, value: String)] = []
        kept.reserveCapacity(headers.count + 3)
        forEachKept(headers, dropping: dropped) { kept.append(($0, $1)) }
        return HTTPHeaders(fields: kept)
    }

    /// The header lines sent upstream for `request` by `principal`, composed in one pass:
    /// the client's fields less those never forwarded (and any `X-Internal-*`), then the caller's identity, the
    /// internal token (`internalTokenLine`, serialised once; nil when the configured token
    /// cannot be a header value, which fails the request), the request id and the
    /// forwarding fields (`X-Forwarded-For` gets the caller's address appended to any the
    /// client sent, `X-Forwarded-Host` the client's `Host` unless it sent one).
    static func upstreamHead(for request: Request, principal: Principal,
                             internalTokenLine: HeaderLines?) throws(HTTPClientError) -> HeaderLines {
        let headers = request.headers
        var lines = HeaderLines(capacity: 320)
        var priorForwardedFor: String? = nil
        var hasForwardedHost = false
        try forEachKept(headers, dropping: dropFromRequests) { (name, value) throws(HTTPClientError) in
            if isInternal(name) { return }
            switch name.utf8.count {
            case 15 where HTTPHeaders.equalsIgnoringCase(name, "X-Forwarded-For"):
                priorForwardedFor = priorForwardedFor.map { $0 + ", " + value } ?? value
                return
            case 16 where HTTPHeaders.equalsIgnoringCase(name, "X-Forwarded-Host"):
                hasForwardedHost = true
            default:
                break
            }
            try lines.add(name, value)
        }
        try lines.add(IdentityHeaders.userID, String(principal.userID))
        try lines.add(IdentityHeaders.userName, principal.name)
        try lines.add(IdentityHeaders.roles, principal.rolesHeader)
        guard let internalTokenLine else { throw .invalidRequest("INTERNAL_TOKEN cannot be sent as a header value") }
        lines.append(internalTokenLine)
        try lines.add(requestIDHeader, request.requestID)
        let remote = request.http.remoteHost
        if let forwardedFor = remote.isEmpty ? priorForwardedFor : priorForwardedFor.map({ $0 + ", " + remote }) ?? remote {
            try lines.add("X-Forwarded-For", forwardedFor)
        }
        if !hasForwardedHost, let host = headers["Host"] { try lines.add("X-Forwarded-Host", host) }
        return lines
    }
}
