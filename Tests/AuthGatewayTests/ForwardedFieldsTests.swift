import AuthGateway
import Contracts
import Foundation
import HTTPCore
import ServiceKit
import Testing
import TestSupport

/// Issue 10, finding 12 (the gateway's part): client-sent `Forwarded` and `X-Real-IP`
/// reached the services unchanged, and a service's `/metrics` was readable through the
/// proxy by any user.
@Suite("forwarding fields and services' /metrics through the proxy")
struct ForwardedFieldsTests {
    @Test func clientForwardingFieldsAreDropped() async throws {
        let recording = RecordingTransport()
        let t = try await TestGateway.make(transport: recording)
        let key = try await t.user("alice")
        let response = await t.app.call(.GET, "/api/tasks", headers: [
            "API-Key": key, "Forwarded": "for=10.9.9.9;proto=https", "X-Real-IP": "10.9.9.9",
            "forwarded": "for=10.8.8.8", "x-real-ip": "10.8.8.8", "X-Forwarded-Proto-Custom": "kept",
        ])
        #expect(response.status == 200)
        let (request, _) = try #require(recording.requests.first)
        #expect(request.headers["Forwarded"] == nil)
        #expect(request.headers["X-Real-IP"] == nil)
        #expect(request.headers["X-Forwarded-Proto-Custom"] == "kept")
        #expect(!request.headers.fields.contains { $0.value.contains("10.9.9.9") || $0.value.contains("10.8.8.8") })
        await t.close()
    }

    @Test func clientForwardingFieldsNeverReachTheUpstreamOverTheWire() async throws {
        let g = try await LiveGateway()
        let key = try await g.t.user("alice")
        let (response, echoed) = try await g.get("/api/whoami", ["API-Key": key, "Forwarded": "for=6.6.6.6", "X-Real-IP": "6.6.6.6"])
        #expect(response.status.code == 200)
        #expect(!echoed.contains("6.6.6.6"))
        #expect(echoed.contains("x-forwarded-for: 127.0.0.1"))
        await g.close()
    }

    /// Paths through the proxy that a ServiceKit router (or a more lenient one) would
    /// serve as the service's `/metrics`.
    static let metricsPaths = ["/orchestrator/metrics", "/orchestrator//metrics/", "/orchestrator/METRICS", "/orchestrator/%6Detrics",
                               "/orchestrator/x/../metrics", "/orchestrator/./metrics", "/orchestrator/metrics?format=text",
                               "/predict/../metrics"]

    @Test func servicesMetricsOnlyForOperators() async throws {
        let recording = RecordingTransport()
        let t = try await TestGateway.make(transport: recording)
        let user = try await t.user("alice", roles: ["user", "compute"])
        let admin = try await t.user("root", roles: ["admin"])
        let auditor = try await t.user("audrey", roles: ["auditor"])
        for path in ForwardedFieldsTests.metricsPaths {
            let refused = await t.app.call(.GET, path, headers: ["API-Key": user])
            #expect(refused.status == 403, "\(path)")
            #expect(refused.code == 403 && refused.text.contains("admin or auditor"), "\(path)")
        }
        #expect(recording.requests.isEmpty)
        #expect(t.metrics.value("gateway_metrics_refused_total") == Double(ForwardedFieldsTests.metricsPaths.count))
        for path in ForwardedFieldsTests.metricsPaths {
            #expect(await t.app.call(.GET, path, headers: ["API-Key": admin]).status == 200, "\(path)")
            #expect(await t.app.call(.GET, path, headers: ["API-Key": auditor]).status == 200, "\(path)")
        }
        // Paths that only look alike pass for anyone.
        for path in ["/orchestrator/metrics/jobs", "/orchestrator/jobs/metrics", "/api/metrics", "/orchestrator/metricsx"] {
            #expect(await t.app.call(.GET, path, headers: ["API-Key": user]).status == 200, "\(path)")
        }
        await t.close()
    }

    @Test func gatewaysOwnMetricsForOperatorsWithTheirSession() async throws {
        let t = try await TestGateway.make(transport: RecordingTransport())
        let admin = await t.session(try await t.user("root", roles: ["admin"]))
        let auditorKey = try await t.user("audrey", roles: ["auditor"])
        let user = await t.session(try await t.user("alice"))
        #expect(await t.app.call(.GET, "/metrics").status == 401)
        #expect(await t.app.call(.GET, "/metrics", headers: ["Session-ID": user]).status == 403)
        let scraped = await t.app.call(.GET, "/metrics", headers: ["Session-ID": admin])
        #expect(scraped.status == 200 && scraped.text.contains("gateway_sessions_created_total"))
        #expect(await t.app.call(.GET, "/metrics", headers: ["API-Key": auditorKey]).status == 200)
        await t.close()
    }
}
