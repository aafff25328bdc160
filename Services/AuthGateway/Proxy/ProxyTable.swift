import HTTPCore
import ServiceKit
#if canImport(Glibc)
import Glibc
#endif

/// One entry of the proxy table: a path prefix and where it goes.
public struct ProxyRoute: Sendable, Equatable {
    /// The prefix (`/api/`, `/predict`): a prefix ending in `/` matches any path under it;
    /// one without matches the path itself or anything under `prefix/`.
    public var prefix: String
    /// Where it goes.
    public var upstream: Upstream
    /// Whether the prefix is removed before forwarding (`/orchestrator/x` → `/x`).
    public var stripPrefix: Bool
    /// Roles allowed (any authenticated user when empty).
    public var roles: [String]
    /// HTTP Basic realm to announce on 401 (Morpheo's compute clients), if any.
    public var basicRealm: String?
    /// Whether a WebSocket upgrade on this route is tunnelled (`/ws`); on every other
    /// route it is forwarded as an ordinary request.
    public var tunnelsWebSockets: Bool

    public init(prefix: String, upstream: Upstream, stripPrefix: Bool = false, roles: [String] = [], basicRealm: String? = nil,
                tunnelsWebSockets: Bool = false) {
        self.prefix = prefix
        self.upstream = upstream
        self.stripPrefix = stripPrefix
        self.roles = roles
        self.basicRealm = basicRealm
        self.tunnelsWebSockets = tunnelsWebSockets
    }

    /// Byte-level `upstreamPath(for:)` for an ASCII path and prefix (equality is then
    /// byte equality): `.some(nil)` when the route does not apply.
    private func asciiUpstreamPath(for path: String, prefixIsASCII: Bool) -> String?? {
        guard prefixIsASCII else { return nil }
        // Byte comparisons on the contiguous UTF-8 of both (native strings always are).
        let decided: (matches: Bool, cut: Int)?? = path.utf8.withContiguousStorageIfAvailable { p in
            prefix.utf8.withContiguousStorageIfAvailable { x -> (matches: Bool, cut: Int) in
                let n = x.count, m = p.count, slash = UInt8(ascii: "/")
                func same(_ len: Int) -> Bool { len == 0 || memcmp(p.baseAddress!, x.baseAddress!, len) == 0 }
                if x.last == slash {
                    if m == n - 1 && same(n - 1) { return (true, -1) }  // the bare prefix itself
                    return m >= n && same(n) ? (true, n) : (false, 0)
                }
                guard m >= n && same(n) else { return (false, 0) }
                if m > n && p[n] != slash { return (false, 0) }
                return (true, n)
            }
        }
        guard let d = decided, let (matches, cut) = d else { return nil }
        if !matches { return .some(nil) }
        if !stripPrefix { return .some(path) }
        let u = path.utf8
        if cut == -1 || cut == u.count { return .some("/") }
        let rest = Substring(u[u.index(u.startIndex, offsetBy: cut)...])
        return .some(prefix.utf8.last == UInt8(ascii: "/") ? "/" + rest : String(rest))
    }

    var prefixIsASCII: Bool { prefix.utf8.allSatisfy { $0 < 0x80 } }

    /// The upstream path for `path`, or nil when this route does not apply.
    public func upstreamPath(for path: String) -> String? {
        upstreamPath(for: path, pathIsASCII: path.utf8.allSatisfy { $0 < 0x80 }, prefixIsASCII: prefixIsASCII)
    }

    func upstreamPath(for path: String, pathIsASCII: Bool, prefixIsASCII: Bool) -> String? {
        if pathIsASCII, let r = asciiUpstreamPath(for: path, prefixIsASCII: prefixIsASCII) { return r }
        if prefix.hasSuffix("/") {
            let bare = String(prefix.dropLast())
            if path == bare { return stripPrefix ? "/" : path }
            guard path.hasPrefix(prefix) else { return nil }
            return stripPrefix ? "/" + path.dropFirst(prefix.count) : path
        }
        guard path == prefix || path.hasPrefix(prefix + "/") else { return nil }
        if !stripPrefix { return path }
        let rest = path.dropFirst(prefix.count)
        return rest.isEmpty ? "/" : String(rest)
    }
}

/// The proxy table: longest matching prefix wins.
public struct ProxyTable: Sendable {
    /// Routes, longest prefix first.
    public let routes: [ProxyRoute]
    /// Whether each route's prefix is ASCII (byte comparison suffices), worked out once.
    private let asciiPrefixes: [Bool]

    public init(_ routes: [ProxyRoute]) {
        self.routes = routes.sorted { $0.prefix.count > $1.prefix.count }
        asciiPrefixes = self.routes.map(\.prefixIsASCII)
    }

    /// The route for a path and the path to send upstream.
    public func match(_ path: String) -> (ProxyRoute, String)? {
        let ascii = path.utf8.allSatisfy { $0 < 0x80 }
        for i in routes.indices {  // in place: no copy of each route tried
            if let p = routes[i].upstreamPath(for: path, pathIsASCII: ascii, prefixIsASCII: asciiPrefixes[i]) { return (routes[i], p) }
        }
        return nil
    }

    /// The table as text (printed at start).
    public var description: String {
        routes.map { "\($0.prefix) -> \($0.upstream.name) \($0.upstream.baseURL)\($0.stripPrefix ? " (prefix stripped)" : "")" }
            .joined(separator: "; ")
    }

    /// `prefix=role|role;prefix=role` → roles by prefix.
    public static func parseRoles(_ text: String) throws(ConfigError) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for entry in text.split(separator: ";") where !entry.trimmingSpaces.isEmpty {
            let parts = entry.split(separator: "=", maxSplits: 1)
            let roles = parts.count == 2 ? parts[1].split(separator: "|").map { String($0.trimmingSpaces) }.filter { !$0.isEmpty } : []
            let prefix = parts.first.map { String($0.trimmingSpaces) } ?? ""
            guard prefix.hasPrefix("/"), !roles.isEmpty, roles.allSatisfy(GatewayStore.knownRoles.contains) else {
                throw ConfigError.malformed(setting: "ROUTE_ROLES", value: String(entry),
                                            expected: "/prefix=role|role entries separated by ';', roles among \(GatewayStore.knownRoles.joined(separator: ", "))")
            }
            out[prefix] = roles
        }
        return out
    }

    /// This table with the roles required per prefix.
    public func requiring(_ roles: [String: [String]]) -> ProxyTable {
        ProxyTable(routes.map { r in
            var r = r
            if let need = roles[r.prefix] { r.roles = need }
            return r
        })
    }

    /// The standard table for the five services.
    public static func standard(predictor: Upstream, taskManager: Upstream, aibridge: Upstream, codeRunner: Upstream, orchestrator: Upstream) -> ProxyTable {
        ProxyTable([
            ProxyRoute(prefix: "/predict", upstream: predictor),
            ProxyRoute(prefix: "/mass_upload", upstream: predictor),
            ProxyRoute(prefix: "/api/v2/aibridge/", upstream: aibridge),
            ProxyRoute(prefix: "/api/", upstream: taskManager),
            ProxyRoute(prefix: "/ws", upstream: taskManager, tunnelsWebSockets: true),
            ProxyRoute(prefix: "/code/", upstream: codeRunner),
            ProxyRoute(prefix: "/orchestrator/", upstream: orchestrator, stripPrefix: true, basicRealm: "morpheo"),
        ])
    }
}
