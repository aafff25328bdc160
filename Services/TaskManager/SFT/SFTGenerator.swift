import Contracts
import Foundation
import HTTPCore
import JSON
import LLMWire
import ServiceKit

/// SFT data from content: rounds of chat completions through the bridge, each asking for a
/// JSON array of {instruction, input, output} from one piece of the content (pieces taken in
/// turn, styles and temperatures rotating), until `suggestionsCount` distinct, substantial
/// items are collected or `2 × suggestionsCount` rounds have run. An item is dropped when its
/// instruction is under 10 characters or its output under 20, or when its `SimilarityRatio`
/// (Python's difflib ratio of `instruction + "\n" + output`) with a kept item exceeds 0.85.
/// The answer is JSONL, one chat record per line.
struct SFTGenerator: Sendable {
    /// The bridge.
    let bridge: BridgeChatClient
    /// The internal token for the bridge.
    let internalToken: String

    /// The default upstream when `config.baseUrl` is absent.
    static let defaultBaseURL = "https://api.openai.com/v1"
    /// The default number of records.
    static let defaultCount = 3

    /// The checked settings of one request.
    struct Job: Sendable {
        var content: String
        var apiKey: String
        var baseURL: String
        var model: String
        var count: Int
    }

    /// Checks the request: 400 for missing content, key or model, a bad base URL or count.
    static func job(_ request: TaskManagerAPI.SFTGenerateRequest) throws -> Job {
        if request.content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ServiceError.badRequest("content must not be empty") }
        guard let apiKey = request.config.apiKey?.trimmedOfSpaces, !apiKey.isEmpty else {
            throw ServiceError.badRequest("config.apiKey is required")
        }
        guard let model = request.config.model?.trimmedOfSpaces, !model.isEmpty else { throw ServiceError.badRequest("config.model is required") }
        let count = request.config.suggestionsCount ?? defaultCount
        guard (1...10).contains(count) else { throw ServiceError.badRequest("config.suggestionsCount must be between 1 and 10") }
        var baseURL = request.config.baseUrl?.trimmedOfSpaces ?? ""
        if baseURL.isEmpty { baseURL = defaultBaseURL }
        guard let parsed = URLComponents(string: baseURL), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
              parsed.host?.isEmpty == false else {
            throw ServiceError.badRequest("config.baseUrl must be an http:// or https:// URL")
        }
        for (name, value) in [("config.apiKey", apiKey), ("config.baseUrl", baseURL)]
        where value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) {
            throw ServiceError.badRequest("\(name) contains a control character")
        }
        return Job(content: request.content, apiKey: apiKey, baseURL: baseURL, model: model, count: count)
    }

    /// Runs a job; `identity` and `requestID` go to the bridge with it. 502 with the
    /// upstream's reason when a call fails for good or no usable item comes back.
    func generate(_ job: Job, identity: Identity?, requestID: String, progress: ProgressReporter) async throws -> String {
        var headers: HTTPHeaders = ["Content-Type": "application/json", "Accept": "application/json",
                                    IdentityHeaders.internalToken: internalToken,
                                    "X-Internal-Upstream-Base-URL": job.baseURL, "X-Internal-Upstream-Key": job.apiKey,
                                    "X-AIBridge-Session-Id": progress.jobID, requestIDHeader: requestID]
        if let identity {
            headers.set(IdentityHeaders.userID, identity.userID)
            headers.set(IdentityHeaders.userName, identity.name)
            headers.set(IdentityHeaders.roles, identity.roles.joined(separator: ","))
        }
        let chunks = ContentChunker.chunks(job.content)
        let rounds = 2 * job.count
        let stride = max(1, chunks.count / rounds)
        var kept: [SFTItem] = []
        for round in 0..<rounds where kept.count < job.count {
            await progress.report(0.05 + 0.9 * Double(kept.count) / Double(job.count),
                                  "round \(round + 1) of at most \(rounds): \(kept.count) of \(job.count) records")
            let request = ChatCompletionRequest(
                model: job.model,
                messages: [.system(SFTPrompts.system),
                           .user(SFTPrompts.user(count: min(job.count - kept.count, 5), style: SFTPrompts.styles[round % SFTPrompts.styles.count],
                                                 content: chunks[(round * stride) % chunks.count], existing: kept.map(\.instruction)))],
                temperature: SFTPrompts.temperatures[round % SFTPrompts.temperatures.count], maxTokens: 4000)
            let answer: String
            do {
                answer = try await bridge.complete(request, headers: headers)
            } catch let failure as BridgeChatClient.Failure {
                throw ServiceError(.badGateway, "LLM request failed: \(failure.description)")
            }
            for item in SFTItemParser.items(in: answer) where kept.count < job.count && item.isSubstantial {
                if kept.contains(where: { SimilarityRatio.ratio($0.comparisonText, item.comparisonText) > SFTItem.maxSimilarity }) { continue }
                kept.append(item)
            }
        }
        if kept.isEmpty {
            throw ServiceError(.badGateway, "LLM returned no usable items in \(rounds) rounds (expected a JSON array of {instruction, input, output})")
        }
        return try kept.map { String(decoding: try JSONWriter.encode($0.record), as: UTF8.self) }.joined(separator: "\n")
    }
}
