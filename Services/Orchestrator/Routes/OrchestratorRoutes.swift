import Contracts
import HTTPCore
import ServiceKit

/// The HTTP surface, every route registered here; each handler (one file per resource or
/// endpoint group) checks the caller's role, decodes its body into an `OrchestratorAPI`
/// request, validates it, calls the store and answers a contract value.
///
/// Routes use parameters at each depth (rather than literal collection names) so that an
/// unknown collection or uplet type answers Morpheo's 404 `Page does not exist`.
struct OrchestratorRoutes: Sendable {
    /// State and rules.
    let store: OrchestratorStore
    /// Page sizes of `GET /{collection}`.
    let paging: ListPaging
    /// Worker claims by outcome (`orchestrator_claims_total`).
    let claims: ClaimCounters

    /// The roles of the compute API (`/worker`, `/learndone`, `/preddone`).
    static let computeRoles = ["compute"]
    /// The roles of the user API (everything else).
    static let userRoles = ["user", "admin"]

    /// Registers every route.
    func register(on router: Router) {
        router.get("/{collection}") { try await self.list($0) }
        router.get("/{collection}/{uuid}") { try await self.document($0) }
        router.post("/{collection}") { req in
            switch try req.parameter("collection") {
            case "problem": return try await self.createProblem(req)
            case "algo": return try await self.createAlgo(req)
            case "data": return try await self.createData(req)
            case "prediction": return try await self.requestPrediction(req)
            default: try Self.authorize(req, Self.userRoles); throw Failure.pageNotFound
            }
        }
        router.post("/{collection}/{uuid}") { req in
            switch try req.parameter("collection") {
            case "learndone": return try await self.learnDone(req)
            case "preddone": return try await self.predDone(req)
            default: try Self.authorize(req, Self.userRoles); throw Failure.pageNotFound
            }
        }
        router.post("/{collection}/{uuid}/{id}") { req in
            guard try req.parameter("collection") == "worker" else {
                try Self.authorize(req, Self.userRoles)
                throw Failure.pageNotFound
            }
            return try await self.setWorker(req)
        }
    }

    /// 401 (with Morpheo's Basic challenge) without identity, 403 without one of `roles`.
    static func authorize(_ req: Request, _ roles: [String]) throws {
        try req.require(roles: roles, challenge: "Basic realm=\"morpheo\"")
    }
}
