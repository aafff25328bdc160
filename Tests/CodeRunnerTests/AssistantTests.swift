import Contracts
import Foundation
import HTTPCore
import ServiceKit
import Testing
@testable import CodeRunner

/// `/code/edit` and `/code/fix` against a local OpenAI-compatible server (loopback) in the
/// bridge's place.
@Suite(.serialized) struct AssistantTests {
    static let failing = """
        # summary_agent code start
        print(df["units"].sum())
        # summary_agent code end
        # ratio_agent code start
        share = df["revenu"].sum() / df["units"].sum()
        print("share", round(share, 2))
        # ratio_agent code end
        """

    @Test func fixTriesAgainWithTheNewErrorAndKeepsTheRunningCandidate() async throws {
        let llm = try FakeChatServer([
            .text("```python\nshare = df[\"revenue_total\"].sum() / df[\"units\"].sum()\nprint(\"share\", round(share, 2))\n```"),
            .text("Here it is:\n```python\n# ratio_agent code start\nshare = df[\"revenue\"].sum() / df[\"units\"].sum()\nprint(\"share\", round(share, 2))\n# ratio_agent code end\n```"),
        ])
        let service = try await CodeRunnerFixture.start { $0.aibridgeURL = llm.baseURL; $0.codeModel = "fixer-model" }
        defer { Task { await service.close(); await llm.stop() } }
        let run = try await service.execute(Self.failing, session: "fixme")
        #expect(run.failedBlocks == ["ratio_agent"])
        let response = await service.post("/code/fix", json: CodeRunnerAPI.FixRequest(code: Self.failing, error: run.output,
                                                                                       sessionID: "fixme", messageID: 11))
        #expect(response.status == 200)
        let fixed = try response.json(CodeRunnerAPI.FixResponse.self)
        #expect(fixed.error == nil)
        #expect(fixed.fixedCode.contains("df[\"revenue\"].sum()"))
        #expect(!fixed.fixedCode.contains("revenue_total"))
        // Markers kept once each, the good block untouched.
        #expect(fixed.fixedCode.components(separatedBy: "# ratio_agent code start").count == 2)
        #expect(fixed.fixedCode.hasPrefix("# summary_agent code start\nprint(df[\"units\"].sum())\n# summary_agent code end"))
        let calls = llm.received
        #expect(calls.count == 2)
        #expect(calls.allSatisfy { $0.path == BridgeClient.chatPath })
        #expect(calls.allSatisfy { $0.model == "fixer-model" })
        #expect(calls.allSatisfy { $0.headers["X-User-Id"] == "alice" && $0.headers["X-Internal-Token"] == "test-internal-token" })
        let sessions = Set(calls.compactMap { $0.headers["X-AIBridge-Session-Id"] })
        #expect(sessions.count == 1)
        // The first prompt has the dataset context and the error; the second the new error.
        #expect(calls[0].prompt.contains("customer_rating (float64)"))
        #expect(calls[0].prompt.contains("KeyError"))
        #expect(calls[1].prompt.contains("revenue_total"))
        // The fixed code runs, and was stored under the message.
        let rerun = try await service.execute(fixed.fixedCode, session: "fixme")
        #expect(rerun.isSuccessful, "\(rerun.output)")
        let latest = await service.post("/code/get-latest-code", json: CodeRunnerAPI.LatestCodeRequest(messageID: 11))
        #expect(try latest.json(CodeRunnerAPI.LatestCodeResponse.self).code == fixed.fixedCode)
    }

    @Test func editSendsContextAndAnswersTheEditedCode() async throws {
        let llm = try FakeChatServer([.text("```python\nprint(df.shape[0] * 2)\n```")])
        let service = try await CodeRunnerFixture.start { $0.aibridgeURL = llm.baseURL }
        defer { Task { await service.close(); await llm.stop() } }
        let response = await service.post("/code/edit", json: CodeRunnerAPI.EditRequest(originalCode: "print(df.shape[0])",
                                                                                         userPrompt: "double it", messageID: 3))
        #expect(response.status == 200)
        #expect(try response.json(CodeRunnerAPI.EditResponse.self) == CodeRunnerAPI.EditResponse(editedCode: "print(df.shape[0] * 2)"))
        let call = try #require(llm.received.first)
        #expect(call.prompt.contains("double it"))
        #expect(call.prompt.contains("Shape: \(SampleDataset.rows) rows"))
        #expect(call.headers["X-AIBridge-Session-Id"]?.hasPrefix("code-runner-") == true)
        let latest = await service.post("/code/get-latest-code", json: CodeRunnerAPI.LatestCodeRequest(messageID: 3))
        #expect(latest.text.contains("* 2"))
    }

    @Test func llmFailureKeepsTheOriginalCodeWithAnError() async throws {
        let llm = try FakeChatServer([.status(500)])
        let service = try await CodeRunnerFixture.start { $0.aibridgeURL = llm.baseURL }
        defer { Task { await service.close(); await llm.stop() } }
        let edit = await service.post("/code/edit", json: CodeRunnerAPI.EditRequest(originalCode: "print(1)", userPrompt: "print 2"))
        #expect(edit.status == 200)
        let edited = try edit.json(CodeRunnerAPI.EditResponse.self)
        #expect(edited.editedCode == "print(1)")
        #expect(edited.error?.contains("500") == true)
        let fix = await service.post("/code/fix", json: CodeRunnerAPI.FixRequest(code: "print(1/0)", error: "ZeroDivisionError"))
        #expect(fix.status == 200)
        let fixed = try fix.json(CodeRunnerAPI.FixResponse.self)
        #expect(fixed.fixedCode == "print(1/0)")
        #expect(fixed.error != nil)
        // Missing fields are 400 before any call.
        let missing = await service.post("/code/fix", json: CodeRunnerAPI.FixRequest(code: "x", error: nil))
        #expect(missing.status == 400)
        let noPrompt = await service.post("/code/edit", json: CodeRunnerAPI.EditRequest(originalCode: "x", userPrompt: ""))
        #expect(noPrompt.status == 400)
        #expect(llm.received.count == 2)
    }

    @Test func blocksAndErrorsAreFoundInExecuteOutput() {
        let segments = CodeBlocks.split(Self.failing)
        #expect(segments.map(\.name) == ["summary_agent", "ratio_agent"])
        #expect(CodeBlocks.join(segments) == Self.failing)
        let output = "=== OUTPUT FROM summary_agent ===\n1\n\n=== ERROR IN ratio_agent ===\nKeyError: 'revenu'\n"
        #expect(CodeBlocks.failing(in: segments, error: output) == [1])
        #expect(CodeBlocks.errorSection(for: "ratio_agent", in: output) == "=== ERROR IN ratio_agent ===\nKeyError: 'revenu'\n")
        let mixed = "x = 1\n# a code start\ny = 2\n# a code end\nz = 3"
        #expect(CodeBlocks.join(CodeBlocks.split(mixed)) == mixed)
        #expect(CodeExtraction.code(from: "text\n```python\nprint(1)\n```\nmore") == "print(1)")
        #expect(CodeExtraction.code(from: "\nprint(2)\n") == "print(2)")
    }
}
