// Client benchmark: our pooled HTTPClient vs URLSession against the same URL, in one run.
// Usage: bench-client [URL] [--concurrency N] [--seconds S] [--ca-file PEM]
// Without a URL it starts an in-process HTTPServer answering "hello". For an https:// URL
// `--ca-file` adds a CA to our client's trust; URLSession on Linux trusts only the system
// bundle (/etc/ssl/certs/ca-certificates.crt), which deploy/bench/client-tls.sh replaces
// for this process alone (a private mount namespace).
// bench-client --fetch URL: one GET with the default configuration, prints "<status> <body>"
// (exit 0) or the error (exit 1); the TLS tests run it with SSL_CERT_FILE / SSL_CERT_DIR set.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPCore
import Synchronization

var args = Array(CommandLine.arguments.dropFirst())

if let i = args.firstIndex(of: "--fetch"), i + 1 < args.count {
    let client = HTTPClient()
    do {
        let r = try await client.get(args[i + 1], timeout: .seconds(10))
        let body = try await r.body.collect(upTo: 1 << 20)
        print("\(r.status.code) \(String(decoding: body, as: UTF8.self))")
        await client.shutdown()
        exit(0)
    } catch {
        print("\(error)")
        await client.shutdown()
        exit(1)
    }
}

var caFile: String?
if let i = args.firstIndex(of: "--ca-file"), i + 1 < args.count {
    caFile = args[i + 1]
    args.removeSubrange(i...(i + 1))
}
@MainActor func option(_ name: String, _ def: Int) -> Int {
    if let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) {
        args.removeSubrange(i...(i + 1))
        return v
    }
    return def
}
let concurrency = option("--concurrency", 32)
let seconds = option("--seconds", 3)

var server: HTTPServer?
let url: String
if let u = args.first {
    url = u
} else {
    let s = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0)) { _ in .text("hello") }
    try s.start()
    server = s
    url = "http://127.0.0.1:\(s.port)/"
}

struct Result {
    var latencies: [UInt64] = []  // ns
    var errors = 0
}

@Sendable func report(_ name: String, _ results: [Result], elapsed: Double) {
    var all = results.flatMap(\.latencies)
    all.sort()
    let errors = results.reduce(0) { $0 + $1.errors }
    func pct(_ p: Double) -> Double {
        all.isEmpty ? 0 : Double(all[min(all.count - 1, Int(Double(all.count) * p))]) / 1e6
    }
    let rps = Double(all.count) / elapsed
    print(String(format: "%-12@ %9.0f req/s  p50 %7.3f ms  p99 %7.3f ms  (%d ok, %d errors, %d callers)",
                 name as NSString, rps, pct(0.50), pct(0.99), all.count, errors, concurrency))
}

@MainActor func run(_ name: String, _ one: @escaping @Sendable () async -> Bool) async {
    // Warm-up.
    for _ in 0..<concurrency { _ = await one() }
    let start = ContinuousClock.now
    let end = start + .seconds(seconds)
    let results = await withTaskGroup(of: Result.self) { g in
        for _ in 0..<concurrency {
            g.addTask {
                var r = Result()
                r.latencies.reserveCapacity(100_000)
                while ContinuousClock.now < end {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    if await one() { r.latencies.append(DispatchTime.now().uptimeNanoseconds - t0) } else { r.errors += 1 }
                }
                return r
            }
        }
        var all: [Result] = []
        for await r in g { all.append(r) }
        return all
    }
    let elapsed = (ContinuousClock.now - start)
    report(name, results, elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

var config = HTTPClientConfiguration()
config.maxConnectionsPerHost = concurrency
config.tls.additionalCAFile = caFile
let client = HTTPClient(configuration: config)
await run("HTTPClient") {
    do {
        let r = try await client.get(url)
        _ = try await r.body.collect(upTo: 1 << 24)
        return r.status.code == 200
    } catch { return false }
}
await client.shutdown()

let sessionConfig = URLSessionConfiguration.ephemeral
sessionConfig.httpMaximumConnectionsPerHost = concurrency
let session = URLSession(configuration: sessionConfig)
let target = URL(string: url)!
await run("URLSession") {
    await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
        session.dataTask(with: target) { data, response, error in
            c.resume(returning: error == nil && (response as? HTTPURLResponse)?.statusCode == 200 && data != nil)
        }.resume()
    }
}
session.invalidateAndCancel()
if let server { await server.shutdown() }
