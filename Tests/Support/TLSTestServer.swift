import Foundation

/// The HTTPS test peer (`deploy/checks/tls_peer.py`, Python's `ssl` and `http.server`)
/// on loopback, serving one certificate. It exits when stopped or when the test process
/// goes away (it serves until its standard input closes).
public final class TLSTestServer: Sendable {
    /// The port it listens on.
    public let port: Int
    /// The address it listens on.
    public let host: String
    private let peer: PythonPeer

    private init(peer: PythonPeer, host: String, port: Int) {
        self.peer = peer
        self.host = host
        self.port = port
    }

    /// `https://<host>:<port>` with `host` as given (a name the certificate may or may not carry).
    public func url(_ host: String? = nil) -> String {
        let h = host ?? self.host
        return "https://\(h.contains(":") ? "[\(h)]" : h):\(port)"
    }

    /// The interpreter: `TEST_PYTHON` (set by deploy/test), else the system's.
    public static var python: String { ProcessInfo.processInfo.environment["TEST_PYTHON"] ?? "/usr/bin/python3" }

    /// The repository's root (from this file's place in it).
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Starts the peer with `pair` on `host` (loopback) and waits until it listens.
    public static func start(_ pair: TestCertificates.Pair, host: String = "127.0.0.1") async throws -> TLSTestServer {
        let peer = try await PythonPeer.start(script: "tls_peer.py",
                                              arguments: ["--cert", pair.certificate, "--key", pair.key, "--host", host])
        return TLSTestServer(peer: peer, host: host, port: peer.port)
    }

    /// Stops the peer (without waiting for it to exit: no blocking in async tests).
    public func stop() { peer.stop() }
}

/// The test peer did not start.
public struct TLSTestServerError: Error, CustomStringConvertible {
    /// What it printed instead of its port.
    public let output: String
    public var description: String { "the TLS test peer did not start: \(output.isEmpty ? "no output" : output)" }
}
