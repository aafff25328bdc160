import Contracts
import Crypto
import HTTPCore
import LLMWire
import ServiceKit

/// Calls `POST {baseURL}/completions` with LLMWire's `CompletionRequest` (fill in the middle:
/// `prompt` = prefix, `suffix` = suffix, `stop: ["\n"]`), reads LLMWire's `CompletionResponse`,
/// and normalises the answers like the local models' (each begins with the identifier part
/// typed left of the cursor, no newline, distinct, non-empty).
public struct LLMClient: Sendable {
    /// The upstream's settings.
    public let settings: LLMSettings
    let client: HTTPClient

    /// A client for `settings` over `client`'s pool.
    public init(settings: LLMSettings, client: HTTPClient) {
        self.settings = settings
        self.client = client
    }

    /// The candidates, or nil when the upstream failed or did not answer within the budget
    /// (the caller then falls back to the local models). Never waits longer than the budget.
    public func complete(_ ctx: CompletionContext, n: Int) async -> [Candidate]? {
        let trace = PredictionTrace.current
        let result = await DeadlineRace.run(within: settings.timeout) { () async -> Result<[String], Failure> in
            await self.call(ctx, n: n, identity: trace?.identity)
        }
        switch result {
        case nil:
            trace?.setLLMOutcome("timeout")
            return nil
        case .failure(let failure)?:
            // The client's own timeout equals the deadline; whichever fires first, it is a timeout.
            trace?.setLLMOutcome(failure.timedOut ? "timeout" : "error")
            return nil
        case .success(let texts)?:
            let candidates = Self.normalise(texts, typed: ctx.typedPrefix, n: n)
            trace?.setLLMOutcome(candidates.isEmpty ? "empty" : "ok")
            return candidates
        }
    }

    /// Why a call brought no texts.
    struct Failure: Error {
        /// The upstream did not answer in time.
        var timedOut = false
    }

    /// One `/completions` call: the choices' texts, or why there are none.
    func call(_ ctx: CompletionContext, n: Int, identity: Identity?) async -> Result<[String], Failure> {
        let prefix = String(ctx.prefix.suffix(settings.maxPrefixChars))
        let suffix = String(ctx.suffix.prefix(settings.maxSuffixChars))
        let request = CompletionRequest(model: settings.model, prompt: prefix, suffix: suffix, maxTokens: settings.maxTokens,
                                        temperature: n > 1 ? 0.4 : 0.0, n: max(1, n), stop: ["\n"])
        guard let body = try? JSON.encode(request) else { return .failure(Failure()) }
        let headers = Self.headers(settings, identity: identity)
        do {
            let response = try await client.post(settings.baseURL + "/completions", body: body, headers: headers, timeout: settings.timeout)
            let data = try await response.body.collect(upTo: 4 * 1024 * 1024)
            guard (200..<300).contains(response.status.code) else { return .failure(Failure()) }
            let completion = try JSON.decode(CompletionResponse.self, from: data)
            return .success(completion.choices.map(\.text))
        } catch let error as HTTPClientError where error.isTimeout {
            return .failure(Failure(timedOut: true))
        } catch {
            return .failure(Failure())
        }
    }

    /// A call's header fields: JSON, the client's name (`predictor/1`, which the bridge records
    /// as the client), the user's session; to the bridge the internal token and the user's
    /// identity, to another upstream the API key.
    static func headers(_ settings: LLMSettings, identity: Identity?) -> HTTPHeaders {
        var headers: HTTPHeaders = ["Content-Type": "application/json", "Accept": "application/json", "User-Agent": userAgent]
        if let token = settings.bridgeInternalToken {
            headers.set(IdentityHeaders.internalToken, token)
            if let identity {
                headers.set(IdentityHeaders.userID, identity.userID)
                headers.set(IdentityHeaders.userName, identity.name)
                headers.set(IdentityHeaders.roles, identity.roles.joined(separator: ","))
            }
        } else if !settings.apiKey.isEmpty {
            headers.set("Authorization", "Bearer \(settings.apiKey)")
        }
        if let user = identity?.userID { headers.set("X-AIBridge-Session-Id", Self.sessionID(user: user)) }
        return headers
    }

    /// The User-Agent of the predictor's llm calls.
    public static let userAgent = "predictor/1"

    /// A stable session id for a user's completions (the bridge groups a user's calls by it).
    public static func sessionID(user: String) -> String {
        "predictor-" + Hex.encode(user.utf8.prefix(64))
    }

    /// `typed` + each answer, cut at the end of the line, trailing spaces dropped; empty,
    /// unchanged and duplicate results removed; at most `n`.
    public static func normalise(_ texts: [String], typed: String, n: Int) -> [Candidate] {
        var candidates: [Candidate] = []
        var seen = Set<String>()
        for (rank, answer) in texts.enumerated() {
            var line = Substring(answer)
            if let lineEnd = line.firstIndex(where: { $0 == "\n" || $0 == "\r" }) { line = line[..<lineEnd] }
            while let last = line.last, last == " " || last == "\t" { line = line.dropLast() }
            let text = typed + line
            guard !line.isEmpty, !text.isEmpty, !seen.contains(text) else { continue }
            seen.insert(text)
            candidates.append(Candidate(text: text, score: -Double(rank), model: "llm"))
            if candidates.count >= n { break }
        }
        return candidates
    }
}
