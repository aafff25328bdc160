import Foundation
import Synchronization
import Testing
@testable import HTTPCore
import TestSupport

/// Issue 10: connections past the cap or the descriptor reserve get a 503, a dripped body
/// is cut off at the minimum rate, and a client waiting for a pooled connection gives up
/// with a typed overload error.
@Suite(.serialized) struct OverloadTests {
    // MARK: finding 2: the connection cap and the descriptor reserve

    @Test func aConnectionOverTheCapIsAnswered503AndClosed() async throws {
        let server = try TestServer(configure: { $0.maxConnections = 1 }, handler: TestServer.echo)
        let first = try RawClient(port: server.port)
        await first.send("GET /one HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(await first.readResponse()?.status == 200)
        let second = try RawClient(port: server.port)
        await second.send("GET /two HTTP/1.1\r\nHost: a\r\n\r\n")
        let refused = await second.readResponse()
        #expect(refused?.status == 503)
        #expect(refused?.header("Retry-After") == "1")
        #expect(refused?.header("Connection") == "close")
        #expect(await second.isClosedByPeer())
        #expect(server.server.connectionsRefused.load(ordering: .relaxed) == 1)
        // The connection that was in keeps being served.
        await first.send("GET /again HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(await first.readResponse()?.header("X-Path") == "/again")
        await server.stop()
    }

    @Test func aSocketNumberedInTheReserveIsAnswered503() async throws {
        // Every descriptor a new connection can get is at or above a ceiling of 3.
        let server = try TestServer(configure: { $0.socketCeiling = 3 }, handler: TestServer.echo)
        for _ in 0..<3 {
            let c = try RawClient(port: server.port)
            await c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(await c.readResponse()?.status == 503)
        }
        #expect(server.server.connectionsRefused.load(ordering: .relaxed) == 3)
        #expect(server.server.requestsServed.load(ordering: .relaxed) == 0)
        #expect(await eventually { server.server.connectionCount == 0 })
        await server.stop()
    }

    @Test func aMethodAtTheLengthLimitIsServed() async throws {
        let server = try TestServer(handler: TestServer.echo)
        let method = "M0900001XXXX" + String(repeating: "X", count: 20)  // 32 bytes
        let c = try RawClient(port: server.port)
        await c.send("\(method) /ping HTTP/1.1\r\nHost: a\r\n\r\n")
        let r = await c.readResponse()
        #expect(r?.status == 200)
        #expect(r?.header("X-Method") == method)
        await server.stop()
    }

    // MARK: finding 3: dripped request bodies

    /// Reads the body; a body the server gave up on answers with the parser's status.
    static let collectOrFail: HTTPHandler = { req in
        do {
            let body = try await req.body.collect(upTo: 1 << 20)
            return .text("got \(body.count)")
        } catch let e as HTTPParseError {
            return HTTPResponse(status: HTTPStatus(e.status), contentType: "text/plain", body: Array(e.reason.utf8))
        } catch {
            return HTTPResponse(status: .internalServerError, contentType: "text/plain", body: Array("\(error)".utf8))
        }
    }

    @Test func aDrippedBodyIsCutOffAtTheMinimumRate() async throws {
        // One byte every 200 ms never stalls for the 1 s body timeout: before the minimum
        // rate, this request stayed open as long as the client kept dripping.
        let server = try TestServer(configure: { c in
            c.bodyReadTimeout = .seconds(1)
            c.bodyMinimumRate = 100
        }, handler: OverloadTests.collectOrFail)
        let c = try RawClient(port: server.port)
        await c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n")
        let sent = await TestSupport.blocking { () -> Int in
            var n = 0
            while n < 40 {  // 8 s at most
                c.send("x")
                n += 1
                // Stop dripping once the server answers.
                var pfd = pollfd(fd: c.fd, events: Int16(POLLIN), revents: 0)
                if poll(&pfd, 1, 200) > 0 { break }
            }
            return n
        }
        let r = await c.readResponse()
        #expect(r?.status == 408)
        #expect(r?.text == "request body arriving too slowly")
        #expect(r?.header("Connection") == "close")
        // Cut at about 1.1 s (a tick later at most); the drip would have gone on for 8 s.
        #expect(sent < 40, "the body was still being read after \(sent) bytes")
        #expect(server.server.bodyTimeouts.load(ordering: .relaxed) == 1)
        await server.stop()
    }

    @Test func aBodyAboveTheMinimumRateArrivesWhole() async throws {
        let server = try TestServer(configure: { c in
            c.bodyReadTimeout = .seconds(3)
            c.bodyMinimumRate = 100
        }, handler: TestServer.echo)
        let c = try RawClient(port: server.port)
        let piece = String(repeating: "y", count: 150)
        await c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: \(piece.utf8.count * 12)\r\n\r\n")
        // 150 bytes every 500 ms: 300 bytes/s, for 6 s (past the 3 s body timeout).
        let r = await TestSupport.blocking { () -> ParsedResponse? in
            for _ in 0..<12 {
                c.send(piece)
                usleep(500_000)
            }
            return c.readResponse()
        }
        #expect(r?.status == 200)
        #expect(r?.header("X-Body-Length") == String(piece.utf8.count * 12))
        #expect(server.server.bodyTimeouts.load(ordering: .relaxed) == 0)
        await server.stop()
    }

    @Test func timeTheHandlerIsNotReadingDoesNotCount() async throws {
        // The whole body is sent at once, but the handler waits 3 s before reading it:
        // the stream fills (256 KiB), reading pauses, and the client is not to blame.
        // Counted, those 3 s would break both rules: no byte for over the 1 s body
        // timeout, and 1 s + 256 KiB at 1 MB/s is about 1.3 s.
        let server = try TestServer(configure: { c in
            c.bodyReadTimeout = .seconds(1)
            c.bodyMinimumRate = 1_000_000
        }, handler: { req in
            try? await Task.sleep(for: .milliseconds(3000))
            let body = (try? await req.body.collect(upTo: 8 << 20)) ?? []
            return .text("read \(body.count)")
        })
        let c = try RawClient(port: server.port)
        let size = 2 << 20
        await c.send("POST /slow-handler HTTP/1.1\r\nHost: a\r\nContent-Length: \(size)\r\n\r\n")
        let r = await TestSupport.blocking { () -> ParsedResponse? in
            c.send([UInt8](repeating: 0x7A, count: size))
            return c.readResponse()
        }
        #expect(r?.status == 200)
        #expect(r?.text == "read \(size)")
        await server.stop()
    }

    @Test func aHandlerSlowToAskForTheBodyDoesNotMakeItLate() async throws {
        // `Expect: 100-continue`: the client sends nothing until the handler asks, 8 s
        // later. That wait is the handler's: before, it counted as an 8 s stall (408 after
        // the 3 s body timeout). The 3 s leave a loaded machine time to send the body.
        let server = try TestServer(configure: { c in
            c.bodyReadTimeout = .seconds(3)
            c.bodyMinimumRate = 1_000_000
        }, handler: { req in
            try? await Task.sleep(for: .milliseconds(8000))
            return await OverloadTests.collectOrFail(req)
        })
        let c = try RawClient(port: server.port)
        await c.send("POST /later HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1000\r\n\r\n")
        let interim = await c.readResponse()
        #expect(interim?.status == 100)
        await c.send([UInt8](repeating: 0x41, count: 1000))
        let r = await c.readResponse()
        #expect(r?.status == 200)
        #expect(r?.text == "got 1000")
        #expect(server.server.bodyTimeouts.load(ordering: .relaxed) == 0)
        await server.stop()
    }

    // MARK: finding 3: the client's pool wait

    @Test func aRequestWaitingForABusyPoolGivesUpWithATypedOverload() async throws {
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let server = try startServer { req in
            if req.path == "/hold" { for await _ in gate { break } }
            return .text("done \(req.path)")
        }
        var config = HTTPClientConfiguration()
        config.maxConnectionsPerHost = 1
        config.poolWaitTimeout = .milliseconds(200)
        let client = HTTPClient(configuration: config)
        let held = Task { try await client.get("http://127.0.0.1:\(server.port)/hold") }
        #expect(await eventually { server.requestsServed.load(ordering: .relaxed) == 1 })
        // Before the pool-wait limit this waited as long as /hold did (here: until the
        // 5 s total timeout, a 504 rather than a 503).
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.get("http://127.0.0.1:\(server.port)/queued", timeout: .seconds(5))
        }
        #expect(error == .poolWaitTimeout)
        #expect(error?.isOverload == true)
        #expect(error?.isTimeout == false)
        // A total timeout shorter than the pool wait is still a timeout (504, not 503).
        let total = await #expect(throws: HTTPClientError.self) {
            try await client.get("http://127.0.0.1:\(server.port)/queued", timeout: .milliseconds(50))
        }
        #expect(total == .timeout)
        open.yield()
        open.finish()
        let first = try await held.value
        _ = try await first.body.collect(upTo: 1 << 10)
        let after = try await client.get("http://127.0.0.1:\(server.port)/after")
        #expect(String(decoding: try await after.body.collect(upTo: 1 << 10), as: UTF8.self) == "done /after")
        await client.shutdown()
        await server.shutdown()
    }

    @Test func aClientSocketInTheReserveFailsTheRequestWithDescriptorLimit() async throws {
        let server = try startServer { _ in .text("never") }
        var config = HTTPClientConfiguration()
        config.socketCeiling = 3
        let client = HTTPClient(configuration: config)
        let endpoint = try client.endpoint("http://127.0.0.1:\(server.port)")
        // Many sends at once: each fails on its own (no recursion through the pool's queue).
        let failures = await withTaskGroup(of: HTTPClientError?.self) { group in
            for i in 0..<50 {
                group.addTask {
                    await withCheckedContinuation { c in
                        client.send(.GET, "/\(i)", headers: HTTPHeaders(), to: endpoint) { result in
                            if case .failure(let e) = result { c.resume(returning: e) } else { c.resume(returning: nil) }
                        }
                    }
                }
            }
            var all: [HTTPClientError?] = []
            for await e in group { all.append(e) }
            return all
        }
        #expect(failures.count == 50)
        #expect(failures.allSatisfy { $0 == .descriptorLimit })
        #expect(HTTPClientError.descriptorLimit.isOverload)
        #expect(client.poolStats(host: "127.0.0.1", port: server.port)?.open == 0)
        #expect(server.requestsServed.load(ordering: .relaxed) == 0)
        await client.shutdown()
        await server.shutdown()
    }
}
