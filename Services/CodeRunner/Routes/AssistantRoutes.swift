import Contracts
import HTTPCore
import ServiceKit

/// `POST /code/edit {original_code, user_prompt}` and `POST /code/fix {code, error}`:
/// 200 with the new code, or with the original code and `error` when the model failed.
struct AssistantRoutes: Sendable {
    let context: CodeRunnerContext

    /// `/code/edit`.
    func edit(_ request: Request) async throws -> HTTPResponse {
        let identity = try request.require()
        let body = try await BodyDecoding.decode(CodeRunnerAPI.EditRequest.self, from: request, limit: context.options.maxBodyBytes)
        let code = try BodyDecoding.required(body.originalCode, "Missing original code")
        let instruction = try BodyDecoding.required(body.userPrompt, "Missing editing instructions")
        let session = try await context.sessions.resolve(request, identity: identity, bodySessionID: body.sessionID)
        let caller = CodeAssistant.Caller(identity: identity, session: session, requestID: request.requestID)
        let response = await context.assistant.edit(code: code, instruction: instruction, caller: caller)
        if let message = body.messageID, response.error == nil {
            try await context.store.putCode(user: identity.userID, message: message, code: response.editedCode, source: "edit")
        }
        context.metrics.increment("code_runner_edits_total", help: "Edits by outcome", labels: [("outcome", response.error == nil ? "ok" : "llm_failed")])
        return .json(response)
    }

    /// `/code/fix`.
    func fix(_ request: Request) async throws -> HTTPResponse {
        let identity = try request.require()
        let body = try await BodyDecoding.decode(CodeRunnerAPI.FixRequest.self, from: request, limit: context.options.maxBodyBytes)
        let code = try BodyDecoding.required(body.code, "Missing code")
        let error = try BodyDecoding.required(body.error, "Missing error message")
        let session = try await context.sessions.resolve(request, identity: identity, bodySessionID: body.sessionID)
        let caller = CodeAssistant.Caller(identity: identity, session: session, requestID: request.requestID)
        let response = await context.assistant.fix(code: code, error: error, caller: caller)
        if let message = body.messageID, response.error == nil {
            try await context.store.putCode(user: identity.userID, message: message, code: response.fixedCode, source: "fix")
        }
        context.metrics.increment("code_runner_fixes_total", help: "Fixes by outcome", labels: [("outcome", response.error == nil ? "ok" : "llm_failed")])
        return .json(response)
    }
}
