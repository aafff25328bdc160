import Foundation
import Testing
import TestSupport
@testable import HTTPCore

/// HTTPS through OpenSSL against a Python `ssl` peer on loopback, with a CA and
/// certificates made for the run. Serialized: one Python peer (two for a few tests) at a time.
@Suite("ClientTLS", .serialized)
struct ClientTLSTests {
    /// Made once for the suite (a few openssl commands, off the cooperative pool).
    static let made = Task { try await TestCertificates.make() }
    static var certificates: Result<TestCertificates, Error> { get async { await made.result } }

    /// A client trusting the test CA (on top of the system store).
    static func trustingClient(maxConnections: Int = 64) async throws -> HTTPClient {
        var c = HTTPClientConfiguration.testing()
        c.tls.additionalCAFile = try await certificates.get().caFile
        c.maxConnectionsPerHost = maxConnections
        return HTTPClient(configuration: c)
    }

    static func text(_ r: HTTPClientResponse) async throws -> String {
        String(decoding: try await r.body.collect(upTo: 1 << 24), as: UTF8.self)
    }

    /// The TLS failure `body` throws, or nil when it throws something else or nothing.
    static func tlsFailure(_ body: () async throws -> Void) async -> TLSFailure? {
        do {
            try await body()
        } catch let e as HTTPClientError {
            if case .tls(let f) = e { #expect(!e.isTimeout); return f }
        } catch {}
        return nil
    }

    @Test func getAndPostOverTrustedCertificate() async throws {
        let server = try await TLSTestServer.start(try await Self.certificates.get().trusted)
        defer { server.stop() }
        let client = try await Self.trustingClient()
        let hello = try await client.get(server.url() + "/hello")
        #expect(hello.status == .ok)
        #expect(try await Self.text(hello) == "hello")
        let payload = Array("a body of some length: ".utf8) + [UInt8](repeating: 0x78, count: 100_000)
        let echo = try await client.post(server.url() + "/echo", body: payload)
        let echoed = try await echo.body.collect(upTo: 1 << 20)
        // Compared outside `#expect`: on a mismatch it would diff megabytes for minutes.
        let intact = echoed == payload
        #expect(intact, "echoed \(echoed.count) of \(payload.count) bytes, or altered")
        // An IP literal: verified against the IP SAN, no SNI sent; ALPN picked http/1.1.
        let info = try await Self.text(try await client.get(server.url() + "/info"))
        #expect(info.hasPrefix("alpn=http/1.1 version=TLSv1."))
        #expect(info.hasSuffix("sni=-"))
        // A DNS name: sent as SNI and verified against the DNS SAN.
        let named = try await Self.text(try await client.get(server.url("localhost") + "/info"))
        #expect(named.hasSuffix("sni=localhost"))
        await client.shutdown()
    }

    @Test func keepAliveReusesOneTLSConnection() async throws {
        let server = try await TLSTestServer.start(try await Self.certificates.get().trusted)
        defer { server.stop() }
        let client = try await Self.trustingClient()
        for i in 0..<10 {
            let r = try await client.post(server.url() + "/echo", body: Array("request \(i)".utf8))
            #expect(try await Self.text(r) == "request \(i)")
        }
        // Counted by the server: one handshake for all eleven requests.
        #expect(try await Self.text(try await client.get(server.url() + "/connections")) == "1")
        let stats = client.poolStats(host: "127.0.0.1", port: server.port, tls: true)
        #expect(stats?.open == 1 && stats?.idle == 1 && stats?.maxOpen == 1)
        #expect(client.poolStats(host: "127.0.0.1", port: server.port) == nil)  // no plain pool
        await client.shutdown()
    }

    @Test func endpointSendAndStreamedUpload() async throws {
        let server = try await TLSTestServer.start(try await Self.certificates.get().trusted)
        defer { server.stop() }
        let client = try await Self.trustingClient()
        let endpoint = try client.endpoint(server.url())
        let viaSend: HTTPClientResponse = try await withCheckedThrowingContinuation { c in
            client.send(.GET, "/hello", headers: HTTPHeaders(), to: endpoint) { c.resume(with: $0.mapError { $0 }) }
        }
        #expect(try await Self.text(viaSend) == "hello")
        // A streamed request body (with its length announced, as the peer reads by length).
        let loop = EventLoopGroup.shared.next()
        let stream = BodyStream(loop: loop)
        let pieces = (0..<40).map { i in [UInt8](repeating: UInt8(65 + i % 26), count: 3000 + i) }
        let total = pieces.reduce(0) { $0 + $1.count }
        Task {
            for p in pieces {
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in loop.execute { stream.push(p); c.resume() } }
                await Task.yield()
            }
            loop.execute { stream.finish() }
        }
        let request = HTTPClientRequest(method: .POST, url: server.url() + "/echo", headers: ["Content-Length": "\(total)"],
                                        body: .stream(RequestBody(storage: .stream(stream))))
        let echoed = try await client.execute(request)
        #expect(try await echoed.body.collect(upTo: 1 << 20) == pieces.flatMap { $0 })
        await client.shutdown()
    }

    @Test func streamedResponseArrivesWhole() async throws {
        let server = try await TLSTestServer.start(try await Self.certificates.get().trusted)
        defer { server.stop() }
        let client = try await Self.trustingClient()
        let r = try await client.get(server.url() + "/stream?n=60&size=20000")
        #expect(r.headers["Transfer-Encoding"] == "chunked")
        var received: [UInt8] = []
        for try await piece in r.body { received.append(contentsOf: piece) }
        let expected = (0..<60).flatMap { i in [UInt8](repeating: UInt8(97 + i % 26), count: 20000) }
        #expect(received.count == expected.count)
        // Compared outside `#expect`: on a mismatch it would diff megabytes for minutes.
        let intact = received == expected
        #expect(intact, "the streamed body arrived altered")
        // The connection went back to the pool and serves the next request.
        #expect(try await Self.text(try await client.get(server.url() + "/connections")) == "1")
        await client.shutdown()
    }

    @Test func serverSentEventsArriveOneByOne() async throws {
        let server = try await TLSTestServer.start(try await Self.certificates.get().trusted)
        defer { server.stop() }
        let client = try await Self.trustingClient()
        let r = try await client.get(server.url() + "/events")
        #expect(r.headers["Content-Type"] == "text/event-stream")
        var events: [SSEEvent] = []
        for try await event in r.serverSentEvents {
            events.append(event)
            // The peer writes event n+1 only after this request: each one was delivered
            // before the next existed.
            if events.count < 3 {
                #expect(try await Self.text(try await client.get(server.url() + "/release")) == "released")
            }
        }
        #expect(events == (1...3).map { SSEEvent(data: "event \($0)", id: "\($0)") })
        await client.shutdown()
    }

    @Test func wrongHostNameIsRefused() async throws {
        let certificates = try await Self.certificates.get()
        let client = try await Self.trustingClient()
        let wrong = try await TLSTestServer.start(certificates.wrongHost)
        defer { wrong.stop() }
        let byName = await Self.tlsFailure { _ = try await client.get(wrong.url("localhost") + "/hello") }
        #expect(byName == .hostnameMismatch("localhost"))
        // A certificate naming localhost but not its address, asked for by address.
        let dnsOnly = try await TLSTestServer.start(certificates.dnsOnly)
        defer { dnsOnly.stop() }
        let byAddress = await Self.tlsFailure { _ = try await client.get(dnsOnly.url() + "/hello") }
        #expect(byAddress == .hostnameMismatch("127.0.0.1"))
        #expect(try await Self.text(try await client.get(dnsOnly.url("localhost") + "/hello")) == "hello")
        await client.shutdown()
    }

    @Test func expiredCertificateIsRefused() async throws {
        let server = try await TLSTestServer.start(try await Self.certificates.get().expired)
        defer { server.stop() }
        let client = try await Self.trustingClient()
        #expect(await Self.tlsFailure { _ = try await client.get(server.url() + "/hello") } == .expired)
        #expect(client.poolStats(host: "127.0.0.1", port: server.port, tls: true)?.open == 0)
        await client.shutdown()
    }

    @Test func untrustedCertificatesAreRefused() async throws {
        let certificates = try await Self.certificates.get()
        let client = try await Self.trustingClient()
        for pair in [certificates.selfSigned, certificates.unknownCA] {
            let server = try await TLSTestServer.start(pair)
            defer { server.stop() }
            let failure = await Self.tlsFailure { _ = try await client.get(server.url() + "/hello") }
            guard case .certificateUntrusted = failure else {
                Issue.record("expected certificateUntrusted, got \(String(describing: failure))")
                continue
            }
        }
        // The good certificate, by a client that trusts only the system store.
        let server = try await TLSTestServer.start(certificates.trusted)
        defer { server.stop() }
        let systemOnly = HTTPClient(configuration: .testing())
        let failure = await Self.tlsFailure { _ = try await systemOnly.get(server.url() + "/hello") }
        guard case .certificateUntrusted = failure else {
            Issue.record("expected certificateUntrusted, got \(String(describing: failure))")
            return
        }
        await systemOnly.shutdown()
        await client.shutdown()
    }

    @Test func plainServerAndMissingCAFileFailClearly() async throws {
        let plain = try startServer { _ in .text("plain") }
        defer { Task { await plain.shutdown() } }
        let client = try await Self.trustingClient()
        let failure = await Self.tlsFailure { _ = try await client.get("https://127.0.0.1:\(plain.port)/") }
        guard case .handshakeFailed = failure else {
            Issue.record("expected handshakeFailed, got \(String(describing: failure))")
            return
        }
        await client.shutdown()
        var c = HTTPClientConfiguration.testing()
        c.tls.additionalCAFile = "/nonexistent/ca.pem"
        let misconfigured = HTTPClient(configuration: c)
        let bad = await Self.tlsFailure { _ = try await misconfigured.get("https://127.0.0.1:\(plain.port)/") }
        guard case .configuration = bad else {
            Issue.record("expected configuration, got \(String(describing: bad))")
            return
        }
        // Plain HTTP on the same client is unaffected.
        #expect(try await Self.text(try await misconfigured.get("http://127.0.0.1:\(plain.port)/")) == "plain")
        await misconfigured.shutdown()
    }

    @Test func stalledHandshakeTimesOutWithoutBlockingTheLoop() async throws {
        // Accepts the connection and never answers the ClientHello.
        let silent = try RawServer { conn, _ in conn.waitForClose() }
        defer { silent.stop() }
        let plain = try startServer { _ in .text("plain") }
        defer { Task { await plain.shutdown() } }
        var c = HTTPClientConfiguration.testing()
        c.connectTimeout = .seconds(1)
        let group = EventLoopGroup(count: 1)  // one loop: a blocked handshake would stall the plain request
        let client = HTTPClient(group: group, configuration: c)
        let stalled = Task { try await client.get("https://127.0.0.1:\(silent.port)/") }
        while silent.accepted.load(ordering: .relaxed) == 0 { try await Task.sleep(for: .milliseconds(5)) }
        // The handshake is waiting on the loop; a plain request on that loop goes through.
        #expect(try await Self.text(try await client.get("http://127.0.0.1:\(plain.port)/")) == "plain")
        switch await stalled.result {
        case .success: Issue.record("a handshake nobody answered succeeded")
        case .failure(let e): #expect(e as? HTTPClientError == .connectTimeout)
        }
        await client.shutdown()
    }

    /// `SSL_CERT_FILE` and `SSL_CERT_DIR` reach the default configuration: checked in a
    /// child process (`bench-client --fetch`), so this process's environment is untouched.
    @Test func sslCertFileAndDirAreHonoured() async throws {
        let certificates = try await Self.certificates.get()
        let server = try await TLSTestServer.start(certificates.trusted)
        defer { server.stop() }
        let url = server.url() + "/hello"
        var base = ProcessInfo.processInfo.environment
        base["SSL_CERT_FILE"] = nil
        base["SSL_CERT_DIR"] = nil
        let untrusted = try await Self.fetch(url, environment: base)
        #expect(untrusted.status == 1 && untrusted.output.contains("certificate not trusted"), "\(untrusted.output)")
        var withFile = base
        withFile["SSL_CERT_FILE"] = certificates.caFile
        let viaFile = try await Self.fetch(url, environment: withFile)
        #expect(viaFile.status == 0 && viaFile.output == "200 hello\n", "\(viaFile.output)")
        let hashed = certificates.directory + "/hashed"
        try FileManager.default.createDirectory(atPath: hashed, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: hashed + "/ca.pem")
        try FileManager.default.copyItem(atPath: certificates.caFile, toPath: hashed + "/ca.pem")
        try await TestCertificates.openssl(["rehash", hashed])
        var withDir = base
        withDir["SSL_CERT_DIR"] = hashed
        let viaDir = try await Self.fetch(url, environment: withDir)
        #expect(viaDir.status == 0 && viaDir.output == "200 hello\n", "\(viaDir.output)")
    }

    /// Runs `bench-client --fetch url` with `environment`; its exit status and output.
    static func fetch(_ url: String, environment: [String: String]) async throws -> (status: Int32, output: String) {
        let result = try await TestSupport.run(TestSupport.binDir.appendingPathComponent("bench-client"), arguments: ["--fetch", url],
                                               environment: environment, includingStandardError: true)
        return (result.status, result.output)
    }
}
