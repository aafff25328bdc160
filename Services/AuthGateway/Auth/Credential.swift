import Crypto
import HTTPCore

/// A credential found on a request.
public enum Credential: Equatable {
    /// A session id (`Session-ID`, a bearer token or `Coder-Session-Token` without the key prefix).
    case session(String)
    /// An API key (`API-Key`, or a bearer token or `Coder-Session-Token` with the key prefix).
    case apiKey(String)
    /// HTTP Basic: a user name and that user's API key.
    case basic(user: String, key: String)

    /// The credential of a request, in order: `Session-ID`, `Authorization` (Bearer or
    /// Basic), `Coder-Session-Token`, `API-Key`, `X-Api-Key`; nil when there is none. A bearer
    /// token, `Coder-Session-Token` or `X-Api-Key` with the key prefix is an API key, else a
    /// session id (the OpenAI SDK and Codex send `Authorization: Bearer`, Claude Code and
    /// older Anthropic SDKs `x-api-key`).
    public init?(headers: HTTPHeaders) {
        if let session = headers["Session-ID"].map(\.trimmedOfSpaces), !session.isEmpty {
            self = .session(session)
            return
        }
        if let authorization = headers["Authorization"] {
            let parts = authorization.trimmingSpaces.split(separator: " ", maxSplits: 1)
            if parts.count == 2 {
                let scheme = parts[0], value = String(parts[1].trimmingSpaces)
                if HTTPHeaders.equalsIgnoringCase(scheme, "Bearer"), !value.isEmpty {
                    self = Credential(token: value)
                    return
                }
                if HTTPHeaders.equalsIgnoringCase(scheme, "Basic"),
                   let decoded = try? Base64.standard.decode(value), let text = String(validating: decoded, as: UTF8.self),
                   let colon = text.firstIndex(of: ":") {
                    self = .basic(user: String(text[..<colon]), key: String(text[text.index(after: colon)...]))
                    return
                }
            }
        }
        if let token = headers["Coder-Session-Token"].map(\.trimmedOfSpaces), !token.isEmpty {
            self = Credential(token: token)
            return
        }
        if let key = headers["API-Key"].map(\.trimmedOfSpaces), !key.isEmpty {
            self = .apiKey(key)
            return
        }
        if let token = headers[Credential.anthropicKeyHeader].map(\.trimmedOfSpaces), !token.isEmpty {
            self = Credential(token: token)
            return
        }
        return nil
    }

    /// The header the Anthropic SDKs and Claude Code send their key in.
    public static let anthropicKeyHeader = "X-Api-Key"

    /// A token that may be either: an API key when it has the key prefix, else a session id.
    init(token: String) {
        self = token.hasPrefix(Secrets.keyPrefix) ? .apiKey(token) : .session(token)
    }
}
