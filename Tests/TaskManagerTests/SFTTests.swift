import Contracts
import Foundation
import HTTPCore
import ServiceKit
import Testing
@testable import TaskManager
import TestSupport

/// `POST /api/sft/generate` through a local OpenAI-compatible server standing where the
/// bridge is (`FakeLLMBridge`).
@Suite("SFT generation")
struct SFTTests {
    typealias API = TaskManagerAPI

    static func request(_ content: String = "Quantum computers use qubits.", count: Int? = 3, key: String? = "sk-test",
                        baseUrl: String? = nil, jobId: String? = nil) -> API.SFTGenerateRequest {
        API.SFTGenerateRequest(content: content, config: API.SFTConfig(apiKey: key, baseUrl: baseUrl, model: "gpt-4o-mini", suggestionsCount: count),
                               jobId: jobId)
    }

    static func records(_ response: TestResponse) throws -> [API.SFTRecord] {
        let data = try response.json(API.SFTGenerateResponse.self).data
        return try data.split(separator: "\n").map { try JSON.decode(API.SFTRecord.self, from: Array($0.utf8)) }
    }

    @Test func exactlyTheRequestedRecordsThroughTheBridgeWithTheCallersSettings() async throws {
        let bridge = try FakeLLMBridge(script: [.content(FakeLLMBridge.items(2)), .content(FakeLLMBridge.items(3, start: 2))])
        let fx = try await TaskManagerFixture(["AIBRIDGE_URL": bridge.url])
        let response = await fx.call(.POST, "/api/sft/generate", body: Self.request(count: 4, baseUrl: "https://llm.example/v1", jobId: "job-42"))
        #expect(response.status == 200, "\(response.text)")
        let records = try Self.records(response)
        #expect(records.count == 4)
        for record in records {
            #expect(record.messages.map(\.role) == ["system", "user", "assistant"])
            #expect(record.messages[0].content == "You are a helpful assistant.")
        }
        #expect(records[1].messages[1].content.hasSuffix("\n\ncontext 1"))  // input after the instruction
        #expect(response.headers["X-Job-Id"] == "job-42")
        let calls = bridge.calls
        #expect(calls.count == 2)
        for call in calls {
            #expect(call.path == "/api/v2/aibridge/openai/v1/chat/completions")
            #expect(call.headers["X-Internal-Token"] == "test-internal-token")
            #expect(call.headers["X-Internal-Upstream-Base-URL"] == "https://llm.example/v1")
            #expect(call.headers["X-Internal-Upstream-Key"] == "sk-test")
            #expect(call.headers["X-AIBridge-Session-Id"] == "job-42")
            #expect(call.headers["X-User-Id"] == "7")
            #expect(call.headers["X-User-Name"] == "ada")
            #expect(call.headers["X-User-Roles"] == "user")
            #expect(call.headers["Authorization"] == nil)
            #expect(call.request?.model == "gpt-4o-mini")
            #expect(call.request?.messages.first?.content == .text("You are an expert SFT training data generator."))
        }
        // The second round asks for what is missing and lists what exists.
        let second = calls[1].request?.messages.last?.content?.lastText ?? ""
        #expect(second.contains("Generate 2 high-quality"))
        #expect(second.contains("Do NOT repeat or paraphrase"))
        await fx.close()
        await bridge.stop()
    }

    @Test func defaultBaseURLAndCount() async throws {
        let bridge = try FakeLLMBridge(script: [.content(FakeLLMBridge.items(5))])
        let fx = try await TaskManagerFixture(["AIBRIDGE_URL": bridge.url])
        let response = await fx.call(.POST, "/api/sft/generate", json: #"{"content":"Explain ML","config":{"apiKey":"sk-1","model":"m"}}"#)
        #expect(response.status == 200, "\(response.text)")
        #expect(try Self.records(response).count == 3)
        #expect(bridge.calls.first?.headers["X-Internal-Upstream-Base-URL"] == "https://api.openai.com/v1")
        #expect(bridge.calls.first?.headers["X-AIBridge-Session-Id"]?.hasPrefix("job-") == true)
        await fx.close()
        await bridge.stop()
    }

    @Test func shortAndSimilarItemsAreDropped() async throws {
        let items = FakeLLMBridge.items(1)
        let near = items.replacingOccurrences(of: "Answer 0:", with: "Answer 0!")  // ratio far above 0.85
        let short = #"[{"instruction":"Too short","input":"","output":"a long enough output here"},{"instruction":"A long enough instruction","input":"","output":"short"}]"#
        let bridge = try FakeLLMBridge(script: [.content(items), .content(near), .content(short), .content(FakeLLMBridge.items(1, start: 9))])
        let fx = try await TaskManagerFixture(["AIBRIDGE_URL": bridge.url])
        let response = await fx.call(.POST, "/api/sft/generate", body: Self.request(count: 2))
        #expect(response.status == 200, "\(response.text)")
        let records = try Self.records(response)
        #expect(records.count == 2)
        #expect(records[0].messages[2].content.hasPrefix("Answer 0:"))
        #expect(records[1].messages[2].content.hasPrefix("Answer 9:"))
        #expect(bridge.calls.count == 4)
        await fx.close()
        await bridge.stop()
    }

    @Test func rateLimitsAndServerErrorsAreRetried() async throws {
        let bridge = try FakeLLMBridge(script: [.error(status: 429, message: "Rate limit reached", retryAfter: 0),
                                                .error(status: 503, message: "overloaded"), .content(FakeLLMBridge.items(1))])
        let fx = try await TaskManagerFixture(["AIBRIDGE_URL": bridge.url, "LLM_ATTEMPTS": "3"])
        let response = await fx.call(.POST, "/api/sft/generate", body: Self.request(count: 1))
        #expect(response.status == 200, "\(response.text)")
        #expect(try Self.records(response).count == 1)
        #expect(bridge.calls.count == 3)
        await fx.close()
        await bridge.stop()
    }

    @Test func upstreamFailuresAre502WithTheReason() async throws {
        let bridge = try FakeLLMBridge(script: [.error(status: 401, message: "Incorrect API key provided: sk-bad")])
        let fx = try await TaskManagerFixture(["AIBRIDGE_URL": bridge.url, "LLM_ATTEMPTS": "2"])
        let refused = await fx.call(.POST, "/api/sft/generate", body: Self.request())
        #expect(refused.status == 502)
        #expect(refused.detail.contains("upstream answered 401: Incorrect API key provided"), "\(refused.detail)")
        #expect(bridge.calls.count == 1)  // a 401 is not retried
        bridge.setScript([.error(status: 500, message: "The server had an error")])
        let failing = await fx.call(.POST, "/api/sft/generate", body: Self.request())
        #expect(failing.status == 502)
        #expect(failing.detail.contains("upstream answered 500: The server had an error (after 2 tries)"), "\(failing.detail)")
        bridge.setScript([.garbage("<html>oops</html>")])
        #expect(await fx.call(.POST, "/api/sft/generate", body: Self.request()).status == 502)
        bridge.setScript([.content("I cannot help with that.")])
        let useless = await fx.call(.POST, "/api/sft/generate", body: Self.request(count: 1))
        #expect(useless.status == 502)
        #expect(useless.detail.contains("no usable items"))
        #expect(bridge.calls.count == 6)  // 401: 1, 500: 2 tries, garbage: 1, useless: 2 rounds for 1 record
        await fx.close()
        await bridge.stop()
    }

    @Test func clientMistakesAre400Or422() async throws {
        let bridge = try FakeLLMBridge()
        let fx = try await TaskManagerFixture(["AIBRIDGE_URL": bridge.url])
        let cases: [(String, Int, String)] = [
            (#"{"content":"x","config":{"model":"m"}}"#, 400, "config.apiKey is required"),
            (#"{"content":"x","config":{"apiKey":"","model":"m"}}"#, 400, "config.apiKey is required"),
            (#"{"content":"x","config":{"apiKey":"k"}}"#, 400, "config.model is required"),
            (#"{"content":"  ","config":{"apiKey":"k","model":"m"}}"#, 400, "content"),
            (#"{"content":"x","config":{"apiKey":"k","model":"m","suggestionsCount":11}}"#, 400, "suggestionsCount"),
            (#"{"content":"x","config":{"apiKey":"k","model":"m","suggestionsCount":0}}"#, 400, "suggestionsCount"),
            (#"{"content":"x","config":{"apiKey":"k","model":"m","baseUrl":"ftp://x"}}"#, 400, "baseUrl"),
            (#"{"content":"x","config":{"apiKey":"k\nX-Evil: 1","model":"m"}}"#, 400, "control character"),
            (#"{"content":"x"}"#, 422, "config"),
            (#"{"content":1,"config":{}}"#, 422, "content"),
            (#"{"content":"x","config":{"apiKey":"k","model":"m","suggestionsCount":"3"}}"#, 422, "suggestionsCount"),
        ]
        for (body, status, detail) in cases {
            let response = await fx.call(.POST, "/api/sft/generate", json: body)
            #expect(response.status == status, "\(body): \(response.text)")
            #expect(response.detail.contains(detail), "\(body): \(response.detail)")
        }
        #expect(bridge.calls.isEmpty)
        await fx.close()
        await bridge.stop()
    }

    @Test func longContentIsChunkedAndRotated() async throws {
        let paragraphs = (0..<60).map { "Paragraph \($0): " + String(repeating: "word\($0) ", count: 60) }
        let content = paragraphs.joined(separator: "\n\n")
        let chunks = ContentChunker.chunks(content)
        #expect(chunks.count > 3)
        #expect(chunks.allSatisfy { $0.count <= ContentChunker.maxCharacters })
        for (previous, next) in zip(chunks, chunks.dropFirst()) { #expect(next.hasPrefix(String(previous.suffix(ContentChunker.overlap)))) }
        for paragraph in paragraphs { #expect(chunks.contains { $0.contains(paragraph) }, "\(paragraph.prefix(14))") }
        #expect(ContentChunker.chunks("short") == ["short"])
        let giant = String(repeating: "x", count: 20_000)
        #expect(ContentChunker.chunks(giant).allSatisfy { $0.count <= ContentChunker.maxCharacters })

        let bridge = try FakeLLMBridge(script: [.content("[]")])
        let fx = try await TaskManagerFixture(["AIBRIDGE_URL": bridge.url])
        _ = await fx.call(.POST, "/api/sft/generate", body: Self.request(content, count: 2))
        let prompts = bridge.calls.compactMap { $0.request?.messages.last?.content?.lastText }
        #expect(prompts.count == 4)
        let pieces: Set<String> = Set(prompts.map { prompt in String(prompt.components(separatedBy: "Content:\n")[1].prefix(40)) })
        #expect(pieces.count == 4)  // four different pieces
        await fx.close()
        await bridge.stop()
    }

    @Test func itemParser() {
        #expect(SFTItemParser.items(in: "```json\n[{\"instruction\":\"a\",\"output\":\"b\"}]\n```") == [SFTItem(instruction: "a", input: "", output: "b")])
        #expect(SFTItemParser.items(in: "Here: {\"items\":[{\"instruction\":\"i\",\"input\":\"x\",\"output\":\"o\"}]} done").count == 1)
        #expect(SFTItemParser.items(in: "no json").isEmpty)
        #expect(SFTItemParser.items(in: "[{\"instruction\":1}]").isEmpty)
    }
}
