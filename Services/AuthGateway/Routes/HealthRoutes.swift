import Contracts
import HTTPCore
import ServiceKit

extension Gateway {
    /// `GET /health`: healthy when every upstream's own `/health` answers 2xx within
    /// `HEALTH_TIMEOUT_MS`; else 503 `degraded` with each service's state.
    func health() async -> HTTPResponse {
        let timeout = options.healthTimeout
        let transport = self.transport
        let states = await withTaskGroup(of: (name: String, state: String).self) { group in
            for upstream in upstreams {
                group.addTask {
                    var probe = upstream
                    probe.readTimeout = timeout
                    probe.connectTimeout = min(upstream.connectTimeout, timeout)
                    do {
                        let request = UpstreamRequest(method: .GET, target: "/health", lines: HeaderLines(), body: .empty)
                        let response = try await transport.send(request, to: probe)
                        _ = try? await response.body.collect(upTo: 64 * 1024)
                        let healthy = (200..<300).contains(response.status.code)
                        return (upstream.name, healthy ? "healthy" : "unhealthy (status \(response.status.code))")
                    } catch UpstreamError.timeout {
                        return (upstream.name, "timeout")
                    } catch {
                        return (upstream.name, "unreachable")
                    }
                }
            }
            var states: [String: String] = [:]
            for await (name, state) in group { states[name] = state }
            return states
        }
        if states.values.allSatisfy({ $0 == "healthy" }) {
            return .json(AuthGatewayAPI.HealthReport(status: "healthy"))
        }
        return .json(AuthGatewayAPI.HealthReport(status: "degraded", services: states), status: .serviceUnavailable)
    }
}
