import Contracts
import Foundation
import HTTPCore
import ServiceKit
import Synchronization
import TestSupport
import Testing

/// A background service that counts its starts and notes when it saw cancellation.
private final class Ticker: BackgroundService, Sendable {
    let name = "ticker"
    let started = Mutex(0)
    let cancelled = Mutex(false)

    func run() async throws {
        started.withLock { $0 += 1 }
        do {
            while true { try await Task.sleep(for: .seconds(3600)) }
        } catch {
            cancelled.withLock { $0 = true }
            throw error
        }
    }
}

@Suite struct ServiceLifecycleTests {
    @Test func healthSaysStartingUntilReadyThenHealthy() async throws {
        var definition = ServiceDefinition(router: Router(), envelope: .detail)
        definition.readiness = Readiness(ready: false)
        let app = Application(testing: definition)
        let starting = await app.call(.GET, "/health")
        #expect(starting.status == 503)
        #expect(try starting.json(HealthStatus.self) == HealthStatus(status: "starting"))
        definition.readiness.markReady()
        let healthy = await app.call(.GET, "/health")
        #expect(healthy.status == 200)
        #expect(try healthy.json(HealthStatus.self) == HealthStatus(status: "healthy"))
    }

    @Test func aCustomHealthAnswerIsUsedOnceReady() async throws {
        var definition = ServiceDefinition(router: Router(), envelope: .detail)
        definition.health = { .json(HealthStatus(status: "degraded"), status: .serviceUnavailable) }
        let app = Application(testing: definition)
        let answer = await app.call(.GET, "/health")
        #expect(answer.status == 503 && answer.text.contains("degraded"))
    }

    @Test func healthAndMetricsAreServedEvenWithACatchAllRoute() async throws {
        let router = Router()
        router.get("/**") { _ in .text("catch-all") }
        let app = Application(testing: ServiceDefinition(router: router, envelope: .detail))
        #expect(await app.call(.GET, "/health").text.contains("healthy"))
        #expect(await app.operatorMetrics().contains("# TYPE"))
        #expect(await app.call(.GET, "/other", identity: Identity(userID: "u1", name: "u", roles: ["user"])).text == "catch-all")
    }

    @Test func waitUntilReadyReturnsWhenMarkedOrWhenTimeRunsOut() async throws {
        let readiness = Readiness(ready: false)
        #expect(await readiness.waitUntilReady(timeout: .milliseconds(20)) == false)
        async let waited = readiness.waitUntilReady(timeout: .seconds(60))
        try await Task.sleep(for: .milliseconds(20))
        readiness.markReady()
        #expect(await waited == true)
        #expect(await readiness.waitUntilReady(timeout: .zero) == true)
    }

    @Test func manyWaitersEachEndOnTheirOwnTimeout() async throws {
        let readiness = Readiness(ready: false)
        // A short waiter timing out must not release a long one early.
        async let long = readiness.waitUntilReady(timeout: .seconds(60))
        #expect(await readiness.waitUntilReady(timeout: .milliseconds(10)) == false)
        #expect(readiness.isReady == false)
        readiness.markReady()
        #expect(await long == true)
    }

    @Test func backgroundWorkStartsEachServiceAndStopWaitsForCancellation() async throws {
        let ticker = Ticker()
        let work = BackgroundWork([ticker], logger: Logger(service: "test", level: .error))
        _ = await eventually { ticker.started.withLock { $0 } > 0 }
        #expect(ticker.started.withLock { $0 } == 1)
        await work.stop()
        #expect(ticker.cancelled.withLock { $0 })
    }
}
