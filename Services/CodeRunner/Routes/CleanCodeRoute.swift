import Contracts
import HTTPCore
import ServiceKit

/// `POST /code/clean-code {code}`: top-level imports to the top, by Python's own parser in
/// the tool kernel (kernel.py `clean_code`). Code the parser refuses comes back unchanged.
struct CleanCodeRoute: Sendable {
    let context: CodeRunnerContext

    /// Answers one request.
    func handle(_ request: Request) async throws -> HTTPResponse {
        try request.require()
        let body = try await BodyDecoding.decode(CodeRunnerAPI.CleanCodeRequest.self, from: request, limit: context.options.maxBodyBytes)
        let code = try BodyDecoding.required(body.code, "No code provided")
        do {
            let reply = try await context.pool.runTool(.clean(code), timeout: context.options.executeTimeout)
            return .json(CodeRunnerAPI.CleanCodeResponse(cleanedCode: reply.ok ? reply.code ?? code : code))
        } catch let error as KernelError {
            switch error {
            case .zygoteUnavailable, .spawnFailed:
                var failure = ServiceError(.serviceUnavailable, "no kernel is available: \(error)")
                failure.headers.set("Retry-After", "1")
                throw failure
            default:
                // The parser itself gave up (a pathological input): the code as it was.
                return .json(CodeRunnerAPI.CleanCodeResponse(cleanedCode: code))
            }
        }
    }
}
