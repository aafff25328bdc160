import Foundation
import HTTPCore
import JSON
import ServiceKit

/// Calls the GitHub REST API (`GITHUB_API_URL`) through HTTPCore's pooled client (HTTPS
/// through OpenSSL in production), with `User-Agent` always and `Authorization: Bearer`
/// when a token is set. Failures become the service's answers: GitHub's 404 a 404, its rate
/// limit (403 or 429 with `X-RateLimit-Remaining: 0`, or a `Retry-After`) a 429 with the
/// reset time and `Retry-After`, anything else a 502 naming GitHub's reason.
struct GitHubClient: Sendable {
    /// The API's base URL, no trailing slash.
    let baseURL: String
    /// The token, if any.
    let token: String?
    /// The pooled client.
    let client: HTTPClient
    /// Timeout of one call.
    let timeout: Duration
    /// The clock for rate-limit reset times.
    var now: @Sendable () -> Date = { Date() }

    /// The User-Agent GitHub requires.
    static let userAgent = "seekingdata-task-manager"
    /// Largest JSON answer read.
    static let maxBodyBytes = 16 * 1024 * 1024

    /// The headers of every call.
    var headers: HTTPHeaders {
        var headers: HTTPHeaders = ["Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
                                    "User-Agent": Self.userAgent]
        if let token { headers.set("Authorization", "Bearer \(token)") }
        return headers
    }

    /// `GET <baseURL><path>` decoded as `T`, with the answer's headers; `what` names the
    /// resource in a 404 (`issue #4 of o/r`).
    func get<T: Decodable & Sendable>(_ path: String, as type: T.Type, what: String) async throws -> (value: T, headers: HTTPHeaders) {
        let response: HTTPClientResponse
        let body: [UInt8]
        do {
            response = try await client.execute(HTTPClientRequest(method: .GET, url: baseURL + path, headers: headers), timeout: timeout)
            body = try await response.body.collect(upTo: Self.maxBodyBytes)
        } catch let error as HTTPClientError {
            throw ServiceError(.badGateway, "GitHub API is unreachable: \(error.description)")
        } catch is BodyTooLargeError {
            throw ServiceError(.badGateway, "GitHub API answer for \(what) is larger than \(Self.maxBodyBytes) bytes")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw ServiceError(.badGateway, "GitHub API call for \(what) failed: \(error)")
        }
        let status = response.status.code
        guard (200..<300).contains(status) else { throw failure(status: status, headers: response.headers, body: body, what: what) }
        do {
            return (try JSON.decode(T.self, from: body), response.headers)
        } catch {
            throw ServiceError(.badGateway, "GitHub API answered \(what) with an unexpected body: \(JSON.describe(error))")
        }
    }

    /// The service's answer to a GitHub error status.
    func failure(status: Int, headers: HTTPHeaders, body: [UInt8], what: String) -> ServiceError {
        let message = (try? JSON.decode(GitHubWire.ErrorBody.self, from: body))?.message
        if status == 403 || status == 429 {
            if headers["X-RateLimit-Remaining"]?.trimmedOfSpaces == "0" {
                let reset = headers["X-RateLimit-Reset"].flatMap { Double($0.trimmedOfSpaces) }.map { Date(timeIntervalSince1970: $0) }
                var text = "GitHub API rate limit exceeded"
                var error = ServiceError(.tooManyRequests, text)
                if let reset {
                    let wait = max(0, Int(reset.timeIntervalSince(now()).rounded(.up)))
                    text += "; it resets at \(ISO8601DateFormatter().string(from: reset)) (in \(wait) s)"
                    error = ServiceError(.tooManyRequests, text, headers: ["Retry-After": String(wait)])
                }
                return error
            }
            if let retryAfter = headers["Retry-After"].flatMap({ Int($0.trimmedOfSpaces) }) {
                return ServiceError(.tooManyRequests, "GitHub API secondary rate limit; retry in \(retryAfter) s",
                                    headers: ["Retry-After": String(retryAfter)])
            }
        }
        if status == 404 { return ServiceError.notFound("GitHub: \(what) not found") }
        return ServiceError(.badGateway, "GitHub API answered \(status) for \(what)" + (message.map { ": \($0)" } ?? ""))
    }

    /// A path segment percent-encoded for a URL path.
    static func escape(_ segment: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return segment.addingPercentEncoding(withAllowedCharacters: allowed) ?? segment
    }

    /// A `/`-separated file path with each segment escaped.
    static func escapePath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { escape(String($0)) }.joined(separator: "/")
    }
}
