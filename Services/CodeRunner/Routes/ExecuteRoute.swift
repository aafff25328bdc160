import Contracts
import HTTPCore
import ServiceKit

/// `POST /code/execute {code, session_id?, message_id?}`: the code runs in the session's
/// kernel; code that raises, times out or kills its kernel is a 200 that says so.
struct ExecuteRoute: Sendable {
    let context: CodeRunnerContext

    /// Answers one request.
    func handle(_ request: Request) async throws -> HTTPResponse {
        let identity = try request.require()
        let body = try await BodyDecoding.decode(CodeRunnerAPI.ExecuteRequest.self, from: request, limit: context.options.maxBodyBytes)
        let code = try BodyDecoding.required(body.code, "No code provided")
        let session = try await context.sessions.resolve(request, identity: identity, bodySessionID: body.sessionID)
        if let message = body.messageID {
            try await context.store.putCode(user: identity.userID, message: message, code: code, source: "execute")
        }
        let response: CodeRunnerAPI.ExecuteResponse
        do {
            response = try await context.pool.run(.execute(code), session: session).executeResponse
        } catch let error as KernelError {
            response = try Self.failure(error)
        }
        context.metrics.increment("code_runner_executes_total", help: "Executes by outcome",
                                  labels: [("outcome", response.timedOut ? "timeout" : response.isSuccessful ? "ok" : "failed")])
        return .json(response)
    }

    /// The answer for an execute whose kernel did not answer: a timeout or a kernel that
    /// died is the code's doing (200); no kernel server is ours (503).
    static func failure(_ error: KernelError) throws -> CodeRunnerAPI.ExecuteResponse {
        switch error {
        case .timedOut(let seconds):
            return .init(output: "=== ERROR ===\nTimeoutError: the code ran longer than \(seconds) s; its kernel was stopped "
                         + "(variables are lost; the next execute starts a fresh kernel with the session's dataset)\n",
                         isSuccessful: false, timedOut: true)
        case .exited(let status):
            return .init(output: "=== ERROR ===\nKernelDied: the kernel stopped while running this code (\(status)); "
                         + "the next execute starts a fresh kernel with the session's dataset\n", isSuccessful: false)
        case .protocolViolation:
            return .init(output: "=== ERROR ===\nKernelDied: the kernel wrote outside its protocol and was stopped; "
                         + "the next execute starts a fresh kernel\n", isSuccessful: false)
        case .evicted:
            return .init(output: "=== ERROR ===\nKernelStopped: the kernel was stopped to make room for another session; "
                         + "run the code again\n", isSuccessful: false)
        case .zygoteUnavailable, .spawnFailed:
            var failure = ServiceError(.serviceUnavailable, "no kernel is available: \(error)")
            failure.headers.set("Retry-After", "1")
            throw failure
        }
    }
}
