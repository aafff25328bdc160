import Crypto
import Foundation
import HTTPCore
import LLMWire
import ServiceKit
import Synchronization

/// Per-request facts the HTTP layer hands to remote models (the engine's `CompletionContext`
/// carries no user) and that models report back (what the llm did), via a task-local.
public final class PredictionTrace: Sendable {
    /// The requesting user (the gateway's identity), if any.
    public let user: String?
    private let outcome = Mutex<String?>(nil)

    public init(user: String?) { self.user = user }

    /// The llm call's outcome for this request (`ok`, `empty`, `timeout`, `error`), if one was made.
    public var llmOutcome: String? { outcome.withLock { $0 } }
    func setLLMOutcome(_ o: String) { outcome.withLock { $0 = o } }

    /// The trace of the current request.
    @TaskLocal public static var current: PredictionTrace?
}

/// Settings of the OpenAI-compatible completions upstream.
///
/// In production `baseURL` points at aibridge-query's bridge,
/// `http://<aibridge>/api/v2/aibridge/openai/v1`, which forwards to the configured upstream
/// (llama.cpp, vLLM, Ollama, a hosted API); any OpenAI-compatible `/completions` works.
public struct LLMSettings: Sendable {
    /// Base URL; `{baseURL}/completions` is called.
    public var baseURL: String
    /// Sent as `Authorization: Bearer ...` when not empty.
    public var apiKey: String
    /// The `model` field of the request.
    public var model: String
    /// Latency budget for the whole call.
    public var timeout: Duration
    /// `max_tokens`.
    public var maxTokens = 48
    /// Characters of context sent left and right of the cursor.
    public var maxPrefixChars = 6000
    public var maxSuffixChars = 2000

    public init(baseURL: String, apiKey: String = "", model: String = "", timeout: Duration = .milliseconds(300)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.model = model
        self.timeout = timeout
    }
}

/// Calls `POST {baseURL}/completions` with LLMWire's `CompletionRequest` (fill in the middle:
/// `prompt` = prefix, `suffix` = suffix, `stop: ["\n"]`) and normalises the answers like the local models' (each begins with
/// the identifier part typed left of the cursor, no newline, distinct, non-empty).
public struct LLMClient: Sendable {
    public let settings: LLMSettings
    let client: HTTPClient

    public init(settings: LLMSettings, client: HTTPClient) {
        self.settings = settings
        self.client = client
    }

    /// The candidates, or nil when the upstream failed or did not answer within the budget
    /// (the caller then falls back to the local models). Never waits longer than the budget.
    public func complete(_ ctx: CompletionContext, n: Int) async -> [Candidate]? {
        let trace = PredictionTrace.current
        let result = await Self.withDeadline(settings.timeout) { () async -> Result<[String], LLMFailure> in
            await self.call(ctx, n: n, user: trace?.user)
        }
        switch result {
        case nil:
            trace?.setLLMOutcome("timeout")
            return nil
        case .failure(let f)?:
            // The client's own timeout equals the deadline; whichever fires first, it is a timeout.
            trace?.setLLMOutcome(f.timedOut ? "timeout" : "error")
            return nil
        case .success(let texts)?:
            let cands = Self.normalise(texts, typed: ctx.typedPrefix, n: n)
            trace?.setLLMOutcome(cands.isEmpty ? "empty" : "ok")
            return cands
        }
    }

    struct LLMFailure: Error {
        var timedOut = false
    }

    func call(_ ctx: CompletionContext, n: Int, user: String?) async -> Result<[String], LLMFailure> {
        let prefix = String(ctx.prefix.suffix(settings.maxPrefixChars))
        let suffix = String(ctx.suffix.prefix(settings.maxSuffixChars))
        let body = CompletionRequest(model: settings.model, prompt: prefix, suffix: suffix, maxTokens: settings.maxTokens,
                                     temperature: n > 1 ? 0.4 : 0.0, n: max(1, n), stop: ["\n"])
        guard let bytes = try? JSON.encode(body) else { return .failure(LLMFailure()) }
        var headers: HTTPHeaders = ["Content-Type": "application/json", "Accept": "application/json"]
        if !settings.apiKey.isEmpty { headers.set("Authorization", "Bearer \(settings.apiKey)") }
        if let user { headers.set("X-AIBridge-Session-Id", Self.sessionID(user: user)) }
        do {
            let r = try await client.post(settings.baseURL + "/completions", body: bytes, headers: headers, timeout: settings.timeout)
            let data = try await r.body.collect(upTo: 4 * 1024 * 1024)
            guard (200..<300).contains(r.status.code) else { return .failure(LLMFailure()) }
            let decoded = try JSON.decode(CompletionResponse.self, from: data)
            return .success(decoded.choices.map(\.text))
        } catch let e as HTTPClientError where e.isTimeout {
            return .failure(LLMFailure(timedOut: true))
        } catch {
            return .failure(LLMFailure())
        }
    }

    /// A stable session id for a user's completions (the bridge groups a user's calls by it).
    public static func sessionID(user: String) -> String {
        "predictor-" + Hex.encode(user.utf8.prefix(64))
    }

    /// `typed` + each answer, cut at the end of the line, trailing spaces dropped; empty,
    /// unchanged and duplicate results removed; at most `n`.
    public static func normalise(_ texts: [String], typed: String, n: Int) -> [Candidate] {
        var out: [Candidate] = []
        var seen = Set<String>()
        for (i, t) in texts.enumerated() {
            var line = Substring(t)
            if let nl = line.firstIndex(where: { $0 == "\n" || $0 == "\r" }) { line = line[..<nl] }
            while let l = line.last, l == " " || l == "\t" { line = line.dropLast() }
            let text = typed + line
            guard !line.isEmpty, !text.isEmpty, !seen.contains(text) else { continue }
            seen.insert(text)
            out.append(Candidate(text: text, score: -Double(i), model: "llm"))
            if out.count >= n { break }
        }
        return out
    }

    /// Runs `work` and returns its value, or nil once `budget` has passed (the work is then
    /// cancelled and left to finish on its own; the caller does not wait for it).
    static func withDeadline<T: Sendable>(_ budget: Duration, _ work: @escaping @Sendable () async -> T) async -> T? {
        let race = DeadlineRace<T>()
        let v = await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<T?, Never>) in
                race.begin(c, work: work, budget: budget)
            }
        } onCancel: {
            race.finish(nil)
        }
        race.cancelTasks()
        return v
    }
}

/// The shared state of `withDeadline`: the first of work and timer resumes the caller.
final class DeadlineRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T?, Never>?
        var done = false
        var tasks: [Task<Void, Never>] = []
    }
    private let state = Mutex(State())

    func begin(_ c: CheckedContinuation<T?, Never>, work: @escaping @Sendable () async -> T, budget: Duration) {
        let early = state.withLock { s -> Bool in
            if s.done { return true }
            s.continuation = c
            return false
        }
        if early { c.resume(returning: nil); return }
        let w = Task { self.finish(await work()) }
        let t = Task {
            try? await Task.sleep(for: budget)
            self.finish(nil)
        }
        state.withLock { $0.tasks += [w, t] }
    }

    func finish(_ v: T?) {
        let c = state.withLock { s -> CheckedContinuation<T?, Never>? in
            s.done = true
            let c = s.continuation
            s.continuation = nil
            return c
        }
        c?.resume(returning: v)
    }

    func cancelTasks() {
        for t in state.withLock({ $0.tasks }) { t.cancel() }
    }
}

/// The `llm` model: the upstream's completions, falling back to the local `auto` model when
/// the upstream fails, answers nothing or misses the latency budget.
public struct LLMCompletionModel: CompletionModel {
    public let name = "llm"
    public let client: LLMClient
    public let fallback: (any CompletionModel)?

    public init(client: LLMClient, fallback: (any CompletionModel)?) {
        self.client = client
        self.fallback = fallback
    }

    public func complete(_ ctx: CompletionContext, n: Int) async -> [Candidate] {
        if let c = await client.complete(ctx, n: n), !c.isEmpty { return c }
        return await fallback?.complete(ctx, n: n) ?? []
    }
}

/// `auto` with an llm configured: the local models' candidates merged with the llm's when it
/// answers within its budget (the local work runs meanwhile). Local best first, then the two
/// lists interleaved, duplicates removed.
public struct MergedAutoModel: CompletionModel {
    public let name = "auto"
    public let local: any CompletionModel
    public let llm: LLMClient

    public init(local: any CompletionModel, llm: LLMClient) {
        self.local = local
        self.llm = llm
    }

    public func complete(_ ctx: CompletionContext, n: Int) async -> [Candidate] {
        let llm = self.llm
        async let remote = llm.complete(ctx, n: n)
        let localCands = await local.complete(ctx, n: n)
        let remoteCands = await remote ?? []
        return Self.merge(localCands, remoteCands, n: n)
    }

    static func merge(_ a: [Candidate], _ b: [Candidate], n: Int) -> [Candidate] {
        var out: [Candidate] = []
        var seen = Set<String>()
        var i = 0
        var j = 0
        while out.count < n && (i < a.count || j < b.count) {
            let takeA = (out.count % 2 == 0 && i < a.count) || j >= b.count
            let c = takeA ? a[i] : b[j]
            if takeA { i += 1 } else { j += 1 }
            if c.text.isEmpty || seen.contains(c.text) { continue }
            seen.insert(c.text)
            out.append(c)
        }
        return out
    }
}
