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

    /// A route; by default the prefix is kept, any user may pass and WebSocket upgrades are not tunnelled.
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
        let decided: (matches: Bool, cut: Int)?? = path.utf8.withContiguousStorageIfAvailable { pathBytes in
            prefix.utf8.withContiguousStorageIfAvailable { prefixBytes -> (matches: Bool, cut: Int) in
                let prefixLength = prefixBytes.count, pathLength = pathBytes.count, slash = UInt8(ascii: "/")
                func samePrefix(_ length: Int) -> Bool {
                    length == 0 || memcmp(pathBytes.baseAddress!, prefixBytes.baseAddress!, length) == 0
                }
                if prefixBytes.last == slash {
                    if pathLength == prefixLength - 1 && samePrefix(prefixLength - 1) { return (true, -1) }  // the bare prefix itself
                    return pathLength >= prefixLength && samePrefix(prefixLength) ? (true, prefixLength) : (false, 0)
                }
                guard pathLength >= prefixLength && samePrefix(prefixLength) else { return (false, 0) }
                if pathLength > prefixLength && pathBytes[prefixLength] != slash { return (false, 0) }
                return (true, prefixLength)
            }
        }
        guard let decision = decided, let (matches, cut) = decision else { return nil }
        if !matches { return .some(nil) }
        if !stripPrefix { return .some(path) }
        let pathUTF8 = path.utf8
        if cut == -1 || cut == pathUTF8.count { return .some("/") }
        let rest = Substring(pathUTF8[pathUTF8.index(pathUTF8.startIndex, offsetBy: cut)...])
        return .some(prefix.utf8.last == UInt8(ascii: "/") ? "/" + rest : String(rest))
    }

    /// Whether the prefix is ASCII (paths are then matched byte by byte).
    var prefixIsASCII: Bool { prefix.utf8.allSatisfy { $0 < 0x80 } }

    /// The upstream path for `path`, or nil when this route does not apply.
    public func upstreamPath(for path: String) -> String? {
        upstreamPath(for: path, pathIsASCII: path.utf8.allSatisfy { $0 < 0x80 }, prefixIsASCII: prefixIsASCII)
    }

    /// `upstreamPath(for:)` with the ASCII-ness of both already known.
    func upstreamPath(for path: String, pathIsASCII: Bool, prefixIsASCII: Bool) -> String? {
        if pathIsASCII, let decided = asciiUpstreamPath(for: path, prefixIsASCII: prefixIsASCII) { return decided }
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

extension ProxyRoute: CustomStringConvertible {
    /// `prefix -> upstream base-URL`, noting a stripped prefix.
    public var description: String {
        "\(prefix) -> \(upstream.name) \(upstream.baseURL)\(stripPrefix ? " (prefix stripped)" : "")"
    }
}
