import Foundation
@testable import Orchestrator
import Testing

/// `orchestrator_claims_total{type, outcome}` counts each claim by what it got.
@Suite struct ClaimMetricsTests {
    func claims(_ h: Harness, _ type: String, _ outcome: String) -> Double? {
        h.metrics.value("orchestrator_claims_total", labels: [("type", type), ("outcome", outcome)])
    }

    @Test func wonLostAndUnknownClaimsAreCountedApart() async throws {
        let h = try await Harness.make()
        defer { Task { await h.shutdown() } }
        // Every series is there before the first claim.
        #expect(claims(h, "learnuplet", "won") == 0)
        #expect(claims(h, "preduplet", "lost") == 0)
        #expect(await h.problem("P", size: 1).status == 201)
        #expect(await h.algo("A1", problem: "P").status == 201)
        #expect(await h.data(["d1", "d2"], problems: ["P"]).status == 201)
        let ids = await h.learnuplets().compactMap { $0["uuid"] as? String }
        #expect(ids.count == 2)
        for id in ids { #expect(await h.post("/worker/learnuplet/\(id)", #"{"worker":"w1"}"#, as: compute).status == 200) }
        let again = try #require(ids.first)
        #expect(await h.post("/worker/learnuplet/\(again)", #"{"worker":"w2"}"#, as: compute).status == 400)
        #expect(await h.post("/worker/learnuplet/no-such-uplet", #"{"worker":"w2"}"#, as: compute).status == 404)
        #expect(claims(h, "learnuplet", "won") == 2)
        #expect(claims(h, "learnuplet", "lost") == 1)
        #expect(claims(h, "learnuplet", "not_found") == 1)
        #expect(claims(h, "preduplet", "won") == 0)
    }
}
