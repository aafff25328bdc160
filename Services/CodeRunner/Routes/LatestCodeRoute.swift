import Contracts
import HTTPCore
import ServiceKit

/// `POST /code/get-latest-code {message_id}`: the latest code the caller's execute, edit
/// or fix stored for the message; 404 when none.
struct LatestCodeRoute: Sendable {
    let context: CodeRunnerContext

    /// Answers one request.
    func handle(_ request: Request) async throws -> HTTPResponse {
        let identity = try request.require()
        let body = try await BodyDecoding.decode(CodeRunnerAPI.LatestCodeRequest.self, from: request, limit: context.options.maxBodyBytes)
        guard let message = body.messageID else { throw ServiceError.badRequest("Missing message ID") }
        guard let code = try await context.store.latestCode(user: identity.userID, message: message) else {
            throw ServiceError.notFound("Message not found")
        }
        return .json(CodeRunnerAPI.LatestCodeResponse(code: code))
    }
}
