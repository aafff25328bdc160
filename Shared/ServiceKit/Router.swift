import HTTPCore
import Synchronization

/// A route handler.
public typealias Handler = @Sendable (Request) async throws -> HTTPResponse

/// A route handler in completion style: it answers by calling `reply` exactly once, now
/// or later, on any thread. `Application` runs such a route on the connection's loop
/// without starting a task when nothing in the standard chain needs one (a proxy's hot
/// path); everywhere else it is awaited like any `Handler`.
public typealias CallbackHandler = @Sendable (Request, _ reply: @escaping @Sendable (consuming Result<HTTPResponse, Error>) -> Void) -> Void

/// One registered route (a request holds a reference to the one it matched).
final class RouteEntry: Sendable {
    let handler: Handler
    let callback: CallbackHandler?
    let pattern: String
    /// This route's metric series, per (method, status): a short list, no hashing.
    private let series = Mutex<[(method: String, status: Int, series: RouteSeries)]>([])

    init(handler: @escaping Handler, callback: CallbackHandler?, pattern: String) {
        self.handler = handler
        self.callback = callback
        self.pattern = pattern
    }

    /// The series for (method, status), made by `make` the first time.
    func series(method: String, status: Int, make: () -> RouteSeries) -> RouteSeries {
        if let s = series.withLock({ list in list.first { $0.status == status && $0.method == method }?.series }) { return s }
        let made = make()
        return series.withLock { list in
            if let s = list.first(where: { $0.status == status && $0.method == method })?.series { return s }
            list.append((method, status, made))
            return made
        }
    }
}

/// A route's request counter and duration histogram for one (method, status).
struct RouteSeries: Sendable {
    let requests: MetricCell
    let duration: HistogramCell
}

/// Method + path routing over a trie of segments. Patterns: literals, `{name}`
/// parameters (one segment, percent-decoded), and a final `**` that matches the rest
/// (prefix mounts; the deepest match wins). Configure before serving; read-only after.
public final class Router: @unchecked Sendable {
    final class Node {
        /// Literal children, found by comparing the segment's bytes (no string made, no
        /// hashing: a node has a handful of children).
        var literals: [(segment: String, node: Node)] = []
        var param: (name: String, node: Node)?
        var catchAll = MethodTable()
        var handlers = MethodTable()

        func literal(_ segment: String) -> Node? { literals.first { $0.segment == segment }?.node }

        func literal(_ bytes: Substring.UTF8View) -> Node? {
            let n = bytes.count
            for i in literals.indices where literals[i].segment.utf8.count == n && literals[i].segment.utf8.elementsEqual(bytes) {
                return literals[i].node
            }
            return nil
        }
    }

    /// A node's entries by method: a short list scanned with `==` (methods are small
    /// strings, compared as two words).
    struct MethodTable {
        var entries: [(method: String, entry: RouteEntry)] = []
        var isEmpty: Bool { entries.isEmpty }
        var methods: [String] { entries.map(\.method) }
        subscript(method: String) -> RouteEntry? {
            get {
                for i in entries.indices where entries[i].method == method { return entries[i].entry }
                return nil
            }
            set {
                entries.removeAll { $0.method == method }
                if let newValue { entries.append((method, newValue)) }
            }
        }
    }
    private let root = Node()
    /// Every route added, as `METHOD pattern`, in order.
    public private(set) var routes: [String] = []

    public init() {}

    /// Adds a route for one method.
    public func on(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping Handler) {
        add(method, pattern, RouteEntry(handler: handler, callback: nil, pattern: pattern))
    }

    /// Adds a completion-style route for several methods.
    public func on(_ methods: [HTTPMethod], _ pattern: String, callback: @escaping CallbackHandler) {
        let handler: Handler = { request in
            try await withUnsafeThrowingContinuation { c in callback(request) { c.resume(with: $0) } }
        }
        for m in methods { add(m, pattern, RouteEntry(handler: handler, callback: callback, pattern: pattern)) }
    }

    private func add(_ method: HTTPMethod, _ pattern: String, _ entry: RouteEntry) {
        var node = root
        let segs = Router.segments(pattern)
        for (i, seg) in segs.enumerated() {
            if seg == "**" {
                precondition(i == segs.count - 1, "** must be last in \(pattern)")
                node.catchAll[method.rawValue] = entry
                routes.append("\(method) \(pattern)")
                return
            }
            if seg.hasPrefix("{") && seg.hasSuffix("}") {
                let name = String(seg.dropFirst().dropLast())
                if node.param == nil { node.param = (name, Node()) }
                precondition(node.param!.name == name, "conflicting parameter names at \(pattern)")
                node = node.param!.node
            } else {
                if let next = node.literal(seg) {
                    node = next
                } else {
                    let next = Node()
                    node.literals.append((seg, next))
                    node = next
                }
            }
        }
        node.handlers[method.rawValue] = entry
        routes.append("\(method) \(pattern)")
    }

    public func get(_ p: String, _ h: @escaping Handler) { on(.GET, p, h) }
    public func post(_ p: String, _ h: @escaping Handler) { on(.POST, p, h) }
    public func put(_ p: String, _ h: @escaping Handler) { on(.PUT, p, h) }
    public func patch(_ p: String, _ h: @escaping Handler) { on(.PATCH, p, h) }
    public func delete(_ p: String, _ h: @escaping Handler) { on(.DELETE, p, h) }

    /// Adds a route for several methods.
    public func on(_ methods: [HTTPMethod], _ pattern: String, _ handler: @escaping Handler) {
        for m in methods { on(m, pattern, handler) }
    }

    /// The result of matching a request.
    public enum Match {
        case found(Handler, parameters: [String: String], pattern: String)
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    /// Finds the route for a method and path.
    public func match(_ method: HTTPMethod, _ path: String) -> Match {
        switch lookup(method, path) {
        case .found(let e, let params): .found(e.handler, parameters: params.all, pattern: e.pattern)
        case .methodNotAllowed(let allowed): .methodNotAllowed(allowed: allowed)
        case .notFound: .notFound
        }
    }

    enum Lookup {
        case found(RouteEntry, PathParameters)
        case methodNotAllowed([String])
        case notFound
    }

    /// `match` with the whole route entry.
    func lookup(_ method: HTTPMethod, _ path: String) -> Lookup {
        var params = PathParameters()
        guard let handlers = find(root, path, path.utf8.startIndex, &params) else { return .notFound }
        if let h = handlers[method.rawValue] ?? (method == .HEAD ? handlers["GET"] : nil) {
            return .found(h, params)
        }
        var allowed = Set(handlers.methods)
        if allowed.contains("GET") { allowed.insert("HEAD") }
        return .methodNotAllowed(allowed.sorted())
    }

    /// Depth-first: literal, then parameter, then catch-all (whose `**` parameter is
    /// the rest of the path, without surrounding slashes). Segments are found by scanning
    /// the path's bytes from `from` (no array of segments, no string per segment).
    private func find(_ node: Node, _ path: String, _ from: String.Index,
                      _ params: inout PathParameters) -> MethodTable? {
        let u = path.utf8, slash = UInt8(ascii: "/")
        var start = from
        while start < u.endIndex && u[start] == slash { start = u.index(after: start) }
        guard start < u.endIndex else {
            if !node.handlers.isEmpty { return node.handlers }
            if !node.catchAll.isEmpty { params.rest = ""; return node.catchAll }
            return nil
        }
        var end = start
        while end < u.endIndex && u[end] != slash { end = u.index(after: end) }
        let segment = Substring(u[start..<end]).utf8
        if let next = node.literal(segment), let r = find(next, path, end, &params) { return r }
        if let (name, next) = node.param {
            let saved = params
            params.named[name] = FormCoding.percentDecode(String(Substring(segment)))
            if let r = find(next, path, end, &params) { return r }
            params = saved
        }
        if !node.catchAll.isEmpty {
            var remainder = u[start...]
            while remainder.last == slash { remainder.removeLast() }
            params.rest = Substring(remainder)
            return node.catchAll
        }
        return nil
    }

    static func segments(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }
}

/// A match's path parameters: the named ones, and what a `**` matched (kept as a slice
/// of the path: no dictionary is made for a prefix mount unless a handler asks).
struct PathParameters: Sendable {
    var named: [String: String] = [:]
    var rest: Substring?

    /// One parameter; `**` is what the catch-all matched.
    subscript(name: String) -> String? {
        if name == "**", let rest { return String(rest) }
        return named[name]
    }

    /// As one dictionary, the rest under `**`.
    var all: [String: String] {
        guard let rest else { return named }
        var d = named
        d["**"] = String(rest)
        return d
    }
}
