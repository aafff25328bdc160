@testable import AIBridgeQuery
import HTTPCore
import LLMWire
import Testing

/// The client read from User-Agent (coder's list and order) and its session id.
@Suite struct KnownClientTests {
    @Test func clientsFromUserAgentAndHeaders() {
        let cases: [(HTTPHeaders, String?)] = [
            (["User-Agent": "claude-cli/2.0.14 (external, cli)"], "Claude Code"),
            (["User-Agent": "codex_cli_rs/0.46.0"], "Codex"),
            (["User-Agent": "Zed/0.210.0 (macos; aarch64)"], "Zed"),
            (["User-Agent": "mux/1.0"], "Mux"),
            (["User-Agent": "GitHubCopilotChat/0.30"], "GitHub Copilot (VS Code)"),
            (["User-Agent": "copilot/1.2"], "GitHub Copilot (CLI)"),
            (["User-Agent": "Kilo-Code/4.0"], "Kilo Code"),
            (["User-Agent": "axios/1.0", "originator": "kilo-code"], "Kilo Code"),
            (["User-Agent": "roo-code/3"], "Roo Code"),
            (["originator": "Roo-Code"], "Roo Code"),
            (["User-Agent": "coder-agents/1"], "Coder Agents"),
            (["User-Agent": "Charm Crush/0.1"], "Charm Crush"),
            (["x-cursor-client-version": "1.7"], "Cursor"),
            (["User-Agent": "predictor/1"], "predictor"),
            (["User-Agent": "OpenAI/Python 1.109.1"], nil),
            (["User-Agent": "xclaude/1"], nil),
            ([:], nil),
        ]
        for (headers, name) in cases {
            #expect(KnownClient.detect(headers)?.name == name, "\(headers.fields)")
        }
    }

    @Test func sessionIDs() throws {
        let plain = try LLMRequestBody(api: .anthropicMessages, bytes: Array(#"{"model":"m"}"#.utf8))
        let legacy = try LLMRequestBody(api: .anthropicMessages, bytes: Array(#"{"model":"m","metadata":{"user_id":"user_abc_account_1_session_5f0c-77"}}"#.utf8))
        let jsonUser = try LLMRequestBody(api: .anthropicMessages, bytes: Array(#"{"model":"m","metadata":{"user_id":"{\"device_id\":\"d\",\"session_id\":\"s-42\"}"}}"#.utf8))
        let claude = KnownClient.claudeCode
        #expect(KnownClient.sessionID(of: claude, headers: ["X-Claude-Code-Session-Id": " cc-1 "], body: legacy) == "cc-1")
        #expect(KnownClient.sessionID(of: claude, headers: [:], body: legacy) == "5f0c-77")
        #expect(KnownClient.sessionID(of: claude, headers: [:], body: jsonUser) == "s-42")
        #expect(KnownClient.sessionID(of: .codex, headers: ["session_id": "cx"], body: plain) == "cx")
        #expect(KnownClient.sessionID(of: .copilotCLI, headers: ["X-Client-Session-Id": "cli"], body: plain) == "cli")
        #expect(KnownClient.sessionID(of: .copilotVSCode, headers: ["x-interaction-id": "vs"], body: plain) == "vs")
        #expect(KnownClient.sessionID(of: .mux, headers: ["X-Mux-Workspace-Id": "ws"], body: plain) == "ws")
        #expect(KnownClient.sessionID(of: .kiloCode, headers: ["X-KILOCODE-TASKID": "t"], body: plain) == "t")
        // Our own header, for any client; the client's own header wins.
        #expect(KnownClient.sessionID(of: nil, headers: ["X-AIBridge-Session-Id": "ours"], body: plain) == "ours")
        #expect(KnownClient.sessionID(of: .codex, headers: ["X-AIBridge-Session-Id": "ours", "session_id": "cx"], body: plain) == "cx")
        // Another client's header is not read; empty is none; long ids are cut.
        #expect(KnownClient.sessionID(of: nil, headers: ["session_id": "cx"], body: plain) == nil)
        #expect(KnownClient.sessionID(of: .codex, headers: ["session_id": "  "], body: plain) == nil)
        let long = String(repeating: "a", count: 300)
        #expect(KnownClient.sessionID(of: nil, headers: ["X-AIBridge-Session-Id": long], body: plain)?.count == KnownClient.maxSessionIDLength)
    }
}
