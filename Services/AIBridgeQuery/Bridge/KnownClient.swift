import Foundation
import HTTPCore
import JSON
import LLMWire

/// The LLM clients the bridge recognises, how each is recognised (its `User-Agent`, or a
/// header of its own) and where each puts its session id. Coder's list, in coder's order,
/// then our own services.
enum KnownClient: CaseIterable, Sendable {
    case mux, claudeCode, codex, zed, copilotVSCode, copilotCLI, kiloCode, rooCode, coderAgents, charmCrush, cursor
    case predictor, taskManager, codeRunner

    /// The name recorded as the interception's `client`.
    var name: String {
        switch self {
        case .mux: "Mux"
        case .claudeCode: "Claude Code"
        case .codex: "Codex"
        case .zed: "Zed"
        case .copilotVSCode: "GitHub Copilot (VS Code)"
        case .copilotCLI: "GitHub Copilot (CLI)"
        case .kiloCode: "Kilo Code"
        case .rooCode: "Roo Code"
        case .coderAgents: "Coder Agents"
        case .charmCrush: "Charm Crush"
        case .cursor: "Cursor"
        case .predictor: "predictor"
        case .taskManager: "task-manager"
        case .codeRunner: "code-runner"
        }
    }

    /// The lower-cased `User-Agent` prefix that names the client (nil: recognised otherwise).
    private var userAgentPrefix: String? {
        switch self {
        case .mux: "mux/"
        case .claudeCode: "claude"
        case .codex: "codex"
        case .zed: "zed/"
        case .copilotVSCode: "githubcopilotchat/"
        case .copilotCLI: "copilot/"
        case .kiloCode: "kilo-code/"
        case .rooCode: "roo-code/"
        case .coderAgents: "coder-agents/"
        case .charmCrush: "charm crush/"
        case .cursor: nil
        case .predictor: "predictor/"
        case .taskManager: "task-manager/"
        case .codeRunner: "code-runner/"
        }
    }

    /// Whether the request's headers name this client.
    private func matches(userAgent: String, headers: HTTPHeaders) -> Bool {
        if let prefix = userAgentPrefix, userAgent.hasPrefix(prefix) { return true }
        switch self {
        case .kiloCode: return headers["originator"].map { $0.lowercased() == "kilo-code" } ?? false
        case .rooCode: return headers["originator"].map { $0.lowercased() == "roo-code" } ?? false
        case .cursor: return headers.contains("x-cursor-client-version")
        default: return false
        }
    }

    /// The client that sent a request, in coder's order (the first that matches), or nil
    /// when none does (recorded as null, which the query API shows and filters as `Unknown`).
    static func detect(_ headers: HTTPHeaders) -> KnownClient? {
        let userAgent = (headers["User-Agent"] ?? "").lowercased()
        return allCases.first { $0.matches(userAgent: userAgent, headers: headers) }
    }

    /// The header in which this client sends its own session id, if it has one.
    private var sessionHeader: String? {
        switch self {
        case .claudeCode: "X-Claude-Code-Session-Id"
        case .codex: "session_id"
        case .mux: "X-Mux-Workspace-Id"
        case .copilotVSCode: "x-interaction-id"
        case .copilotCLI: "X-Client-Session-Id"
        case .kiloCode: "X-KILOCODE-TASKID"
        default: nil
        }
    }

    /// The session id of a request: the client's own session header (Claude Code also in
    /// its body's `metadata.user_id`), else our `X-AIBridge-Session-Id`; trimmed, empty as
    /// nil, at most `maxSessionIDLength` characters kept.
    static func sessionID(of client: KnownClient?, headers: HTTPHeaders, body: LLMRequestBody) -> String? {
        var found: String? = nil
        if let client {
            if let header = client.sessionHeader { found = nonEmpty(headers[header]) }
            if found == nil, client == .claudeCode { found = claudeCodeSession(body) }
        }
        if found == nil { found = nonEmpty(headers[bridgeSessionHeader]) }
        return found.map { String($0.prefix(maxSessionIDLength)) }
    }

    /// Our own session header: what our services (and any client) may send.
    static let bridgeSessionHeader = "X-AIBridge-Session-Id"
    /// The longest client session id kept (longer ones are cut).
    static let maxSessionIDLength = 256

    /// Claude Code's session in `metadata.user_id`: a JSON object's `session_id`, or the
    /// text after `_session_` in the older `user_<hash>_account_<id>_session_<uuid>` form.
    private static func claudeCodeSession(_ body: LLMRequestBody) -> String? {
        guard let userID = body.object["metadata"]?.object?["user_id"]?.string else { return nil }
        if userID.hasPrefix("{"), case .object(let fields)? = try? JSONParser().parse(Array(userID.utf8)) {
            return nonEmpty(fields["session_id"]?.string)
        }
        guard let marker = userID.range(of: "_session_", options: .backwards) else { return nil }
        return nonEmpty(String(userID[marker.upperBound...]))
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let trimmed = value?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
