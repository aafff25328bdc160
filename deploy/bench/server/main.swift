import HTTPCore
import Foundation

let port = Int(ProcessInfo.processInfo.environment["PORT"] ?? "") ?? 18081
var cfg = HTTPServerConfiguration(host: "127.0.0.1", port: port)
let server = HTTPServer(configuration: cfg) { req in
    if req.path == "/ping" { return .text("pong") }
    if req.path == "/stream" {
        return HTTPResponse(status: .ok, headers: ["Content-Type": "text/event-stream"], body: .stream { w in
            for i in 0..<3 { try await w.write("data: \(i)\n\n"); try await Task.sleep(for: .milliseconds(100)) }
        })
    }
    let b = (try? await req.body.collect(upTo: 1 << 20)) ?? []
    return HTTPResponse(status: .ok, contentType: "application/octet-stream", body: b)
}
try server.start()
print("listening on \(server.port)")
while true { sleep(1000) }
