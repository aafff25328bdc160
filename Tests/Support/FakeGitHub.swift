import Crypto
import Foundation
import HTTPCore
import JSON
import ServiceKit
import Synchronization

/// A local GitHub REST API on loopback speaking GitHub's wire format: repositories,
/// issues, pull requests, a pull request's files in pages of `per_page` (default 30) with
/// GitHub's `Link` header (`rel="next"`, `rel="last"`, `rel="first"`, `rel="prev"`), file
/// contents (base64 in 60-character lines), branch heads. 404 `{"message": "Not Found"}`
/// for anything unknown; 403 without a `User-Agent` (as GitHub does); a rate-limit mode
/// (403 or 429 with `X-RateLimit-Remaining: 0` and `X-RateLimit-Reset`); an optional
/// latency per call. Every request is recorded.
public final class FakeGitHub: Sendable {
    /// A pull request as the fake serves it.
    public struct PullRequest: Sendable {
        public var number: Int
        public var title: String
        public var body: String?
        public var baseSHA: String
        public var headSHA: String
        /// Changed files: path and status (`added`, `modified`, `removed`, …).
        public var files: [(path: String, status: String)]
        public init(number: Int, title: String, body: String?, baseSHA: String, headSHA: String, files: [(path: String, status: String)]) {
            self.number = number
            self.title = title
            self.body = body
            self.baseSHA = baseSHA
            self.headSHA = headSHA
            self.files = files
        }
    }

    /// How the fake answers when rate limited.
    public enum RateLimit: Sendable {
        /// Normal answers.
        case none
        /// Every call answered with this status (403 or 429), `X-RateLimit-Remaining: 0` and a reset time.
        case exhausted(status: Int, reset: Int)
    }

    /// One request as received.
    public struct Recorded: Sendable {
        public var target: String
        public var headers: HTTPHeaders
        public var started: ContinuousClock.Instant
    }

    struct State {
        var repositories: [String: (description: String, defaultBranch: String, language: String, head: String)] = [:]
        var issues: [String: (title: String, body: String?, isPullRequest: Bool)] = [:]
        var pulls: [String: PullRequest] = [:]
        var contents: [String: String] = [:]
        var rateLimit = RateLimit.none
        var latency: Duration = .zero
        var requests: [Recorded] = []
    }

    private let state = Mutex(State())
    /// The server.
    public let server: HTTPServer
    /// The API's base URL (`GITHUB_API_URL`).
    public var url: String { "http://127.0.0.1:\(server.port)" }

    /// Starts an empty fake.
    public init() throws {
        let box = StateBox()
        server = HTTPServer(configuration: HTTPServerConfiguration.testing()) { request in
            await box.fake?.answer(request) ?? HTTPResponse(status: .serviceUnavailable)
        }
        box.fake = self
        try server.start()
    }

    /// Holds the fake for the server's handler (set once, right after the server is made).
    private final class StateBox: @unchecked Sendable { weak var fake: FakeGitHub? }

    /// Stops the server.
    public func stop() async { await server.shutdown(gracePeriod: .milliseconds(100)) }

    /// Adds a repository `owner/name`.
    public func addRepository(_ fullName: String, description: String = "A repository", defaultBranch: String = "main",
                              language: String = "Python", head: String = String(repeating: "c", count: 40)) {
        state.withLock { $0.repositories[fullName] = (description, defaultBranch, language, head) }
    }

    /// Adds an issue.
    public func addIssue(_ fullName: String, number: Int, title: String, body: String?) {
        state.withLock { $0.issues["\(fullName)#\(number)"] = (title, body, false) }
    }

    /// Adds a pull request (also listed as an issue, as GitHub does).
    public func addPullRequest(_ fullName: String, _ pull: PullRequest) {
        state.withLock {
            $0.pulls["\(fullName)#\(pull.number)"] = pull
            $0.issues["\(fullName)#\(pull.number)"] = (pull.title, pull.body, true)
        }
    }

    /// Adds a file's text at a commit.
    public func addContent(_ fullName: String, path: String, ref: String, text: String) {
        state.withLock { $0.contents["\(fullName)@\(ref):\(path)"] = text }
    }

    /// Sets the rate-limit mode.
    public func setRateLimit(_ mode: RateLimit) { state.withLock { $0.rateLimit = mode } }

    /// Sets a delay before every answer.
    public func setLatency(_ latency: Duration) { state.withLock { $0.latency = latency } }

    /// Every request so far.
    public var requests: [Recorded] { state.withLock { $0.requests } }

    /// Forgets the recorded requests.
    public func clearRequests() { state.withLock { $0.requests = [] } }

    func answer(_ request: HTTPRequest) async -> HTTPResponse {
        let (latency, rateLimit) = state.withLock { s -> (Duration, RateLimit) in
            s.requests.append(Recorded(target: request.target, headers: request.headers, started: .now))
            return (s.latency, s.rateLimit)
        }
        if latency > .zero { try? await Task.sleep(for: latency) }
        guard request.headers["User-Agent"]?.isEmpty == false else {
            return Self.json(["message": .string("Request forbidden by administrative rules. Please make sure your request has a User-Agent header.")],
                             status: 403)
        }
        if case .exhausted(let status, let reset) = rateLimit {
            var response = Self.json(["message": .string("API rate limit exceeded for 127.0.0.1."),
                                      "documentation_url": .string("https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting")],
                                     status: status)
            response.headers.set("X-RateLimit-Limit", "60")
            response.headers.set("X-RateLimit-Remaining", "0")
            response.headers.set("X-RateLimit-Reset", String(reset))
            return response
        }
        let segments = request.path.split(separator: "/").map { FormCoding.percentDecode($0) }
        let query = Dictionary(FormCoding.parse(request.query ?? ""), uniquingKeysWith: { first, _ in first })
        guard request.method == .GET, segments.count >= 3, segments[0] == "repos" else { return Self.notFound() }
        let fullName = segments[1] + "/" + segments[2]
        return state.withLock { s -> HTTPResponse in
            guard let repository = s.repositories[fullName] else { return Self.notFound() }
            let rest = Array(segments.dropFirst(3))
            switch rest.first {
            case nil:
                return Self.json(["id": .int(1), "name": .string(segments[2]), "full_name": .string(fullName),
                                  "description": .string(repository.description), "default_branch": .string(repository.defaultBranch),
                                  "language": .string(repository.language), "private": .bool(false)])
            case "issues" where rest.count == 2:
                guard let number = Int(rest[1]), let issue = s.issues["\(fullName)#\(number)"] else { return Self.notFound() }
                var object: JSONObject = ["number": .int(Int64(number)), "title": .string(issue.title),
                                          "body": issue.body.map(JSONValue.string) ?? .null, "state": .string("open")]
                if issue.isPullRequest { object["pull_request"] = .object(["url": .string("\(url)/repos/\(fullName)/pulls/\(number)")]) }
                return Self.json(object)
            case "pulls" where rest.count == 2:
                guard let number = Int(rest[1]), let pull = s.pulls["\(fullName)#\(number)"] else { return Self.notFound() }
                return Self.json(["number": .int(Int64(number)), "title": .string(pull.title), "body": pull.body.map(JSONValue.string) ?? .null,
                                  "state": .string("open"),
                                  "base": .object(["sha": .string(pull.baseSHA), "ref": .string(repository.defaultBranch)]),
                                  "head": .object(["sha": .string(pull.headSHA), "ref": .string("feature")])])
            case "pulls" where rest.count == 3 && rest[2] == "files":
                guard let number = Int(rest[1]), let pull = s.pulls["\(fullName)#\(number)"] else { return Self.notFound() }
                let perPage = min(100, max(1, Int(query["per_page"] ?? "") ?? 30))
                let page = max(1, Int(query["page"] ?? "") ?? 1)
                let pages = max(1, (pull.files.count + perPage - 1) / perPage)
                let slice = pull.files.dropFirst((page - 1) * perPage).prefix(perPage)
                var response = Self.json(.array(slice.map { file -> JSONValue in
                    .object(["sha": .string("0123456789abcdef0123456789abcdef01234567"), "filename": .string(file.path),
                             "status": .string(file.status), "additions": .int(1), "deletions": .int(0), "changes": .int(1)])
                }))
                let base = "\(url)/repositories/1/pulls/\(number)/files?per_page=\(perPage)&page="
                var links: [String] = []
                if page > 1 { links.append("<\(base)\(page - 1)>; rel=\"prev\"") }
                if page < pages { links.append("<\(base)\(page + 1)>; rel=\"next\"") }
                if page < pages { links.append("<\(base)\(pages)>; rel=\"last\"") }
                if page > 1 { links.append("<\(base)1>; rel=\"first\"") }
                if !links.isEmpty { response.headers.set("Link", links.joined(separator: ", ")) }
                return response
            case "contents" where rest.count >= 2:
                let path = rest.dropFirst().joined(separator: "/")
                guard let ref = query["ref"], let text = s.contents["\(fullName)@\(ref):\(path)"] else { return Self.notFound() }
                let encoded = Base64.standard.encode(Array(text.utf8))
                var lines: [String] = []
                var index = encoded.startIndex
                while index < encoded.endIndex {
                    let end = encoded.index(index, offsetBy: 60, limitedBy: encoded.endIndex) ?? encoded.endIndex
                    lines.append(String(encoded[index..<end]))
                    index = end
                }
                return Self.json(["type": .string("file"), "encoding": .string("base64"), "size": .int(Int64(text.utf8.count)),
                                  "name": .string(String(path.split(separator: "/").last ?? "")), "path": .string(path),
                                  "content": .string(lines.joined(separator: "\n") + "\n")])
            case "commits" where rest.count >= 2:
                let ref = rest.dropFirst().joined(separator: "/")
                guard ref == repository.defaultBranch else { return Self.notFound() }
                return Self.json(["sha": .string(repository.head), "commit": .object(["message": .string("head")])])
            default:
                return Self.notFound()
            }
        }
    }

    static func json(_ object: JSONObject, status: Int = 200) -> HTTPResponse { json(.object(object), status: status) }

    static func json(_ value: JSONValue, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: HTTPStatus(status), contentType: "application/json; charset=utf-8", body: value.serialized)
    }

    static func notFound() -> HTTPResponse {
        json(["message": .string("Not Found"), "documentation_url": .string("https://docs.github.com/rest"), "status": .string("404")], status: 404)
    }
}
