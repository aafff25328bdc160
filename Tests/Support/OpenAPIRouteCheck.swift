import HTTPCore
import JSON
import ServiceKit

/// Compares a router's registered routes with an OpenAPI document's operations, so a
/// service's test is one call: every documented `(method, path)` must be routed (the
/// router matches the documented path, `{name}` segments included), and every route must
/// be documented (a route's `{name}` segment covers any documented segment there, a final
/// `**` any rest). A `HEAD` route is covered by the `GET` of the same path.
public enum OpenAPIRouteCheck {
    /// What does not match, one line each (empty when the two agree); `ignoring` lists
    /// routes (`METHOD pattern`) that are deliberately not documented.
    public static func mismatches(router: Router, document: JSONValue, ignoring: Set<String> = []) -> [String] {
        var documented: [(method: String, path: String)] = []
        for (path, item) in document.object?["paths"]?.object ?? JSONObject() {
            for (method, _) in item.object ?? JSONObject() where method != "parameters" {
                documented.append((method.uppercased(), path))
            }
        }
        var problems: [String] = []
        for (method, path) in documented {
            if case .found = router.match(HTTPMethod(method), path) { continue }
            problems.append("documented but not routed: \(method) \(path)")
        }
        for route in router.routes where !ignoring.contains(route) {
            let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let method = parts[0] == "HEAD" && router.routes.contains("GET \(parts[1])") ? "GET" : parts[0]
            if !documented.contains(where: { $0.method == method && covers(pattern: parts[1], path: $0.path) }) {
                problems.append("routed but not documented: \(route)")
            }
        }
        return problems
    }

    /// Whether a router pattern matches a documented path, segment by segment.
    static func covers(pattern: String, path: String) -> Bool {
        let patternSegments = pattern.split(separator: "/"), pathSegments = path.split(separator: "/")
        for (index, segment) in patternSegments.enumerated() {
            if segment == "**" { return true }
            guard index < pathSegments.count else { return false }
            if segment.hasPrefix("{") && segment.hasSuffix("}") { continue }
            if segment != pathSegments[index] { return false }
        }
        return patternSegments.count == pathSegments.count
    }
}
