import ServiceKit

/// The proxy table: longest matching prefix wins.
public struct ProxyTable: Sendable {
    /// Routes, longest prefix first.
    public let routes: [ProxyRoute]
    /// Whether each route's prefix is ASCII (byte comparison suffices), worked out once.
    private let asciiPrefixes: [Bool]

    /// A table of `routes` (in any order).
    public init(_ routes: [ProxyRoute]) {
        self.routes = routes.sorted { $0.prefix.count > $1.prefix.count }
        asciiPrefixes = self.routes.map(\.prefixIsASCII)
    }

    /// The route for a path and the path to send upstream.
    public func match(_ path: String) -> (route: ProxyRoute, upstreamPath: String)? {
        let ascii = path.utf8.allSatisfy { $0 < 0x80 }
        for index in routes.indices {  // in place: no copy of each route tried
            if let upstreamPath = routes[index].upstreamPath(for: path, pathIsASCII: ascii, prefixIsASCII: asciiPrefixes[index]) {
                return (routes[index], upstreamPath)
            }
        }
        return nil
    }

    /// The table as text (printed at start).
    public var description: String {
        routes.map(\.description).joined(separator: "; ")
    }

    /// `prefix=role|role;prefix=role` → roles by prefix.
    public static func parseRoles(_ text: String) throws(ConfigError) -> [String: [String]] {
        var rolesByPrefix: [String: [String]] = [:]
        for entry in text.split(separator: ";") where !entry.trimmingSpaces.isEmpty {
            let parts = entry.split(separator: "=", maxSplits: 1)
            let roles = parts.count == 2 ? parts[1].split(separator: "|").map { String($0.trimmingSpaces) }.filter { !$0.isEmpty } : []
            let prefix = parts.first.map { String($0.trimmingSpaces) } ?? ""
            guard prefix.hasPrefix("/"), !roles.isEmpty, roles.allSatisfy(GatewayStore.knownRoles.contains) else {
                throw ConfigError.malformed(setting: "ROUTE_ROLES", value: String(entry),
                                            expected: "/prefix=role|role entries separated by ';', roles among \(GatewayStore.knownRoles.joined(separator: ", "))")
            }
            rolesByPrefix[prefix] = roles
        }
        return rolesByPrefix
    }

    /// This table with the roles required per prefix.
    public func requiring(_ roles: [String: [String]]) -> ProxyTable {
        ProxyTable(routes.map { route in
            var route = route
            if let required = roles[route.prefix] { route.roles = required }
            return route
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
            ProxyRoute(prefix: "/upload_dataframe", upstream: codeRunner),
            ProxyRoute(prefix: "/reset-session", upstream: codeRunner),
            ProxyRoute(prefix: "/orchestrator/", upstream: orchestrator, stripPrefix: true, basicRealm: "morpheo"),
        ])
    }
}
