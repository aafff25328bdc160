import Foundation

/// A throw-away certificate authority and server certificates for TLS tests, made with
/// the `openssl` command line in a temporary directory (EC P-256 keys: fast).
public struct TestCertificates: Sendable {
    /// A certificate and its private key (PEM files).
    public struct Pair: Sendable {
        /// The certificate (PEM).
        public let certificate: String
        /// Its private key (PEM, unencrypted).
        public let key: String
    }

    /// The directory holding every file.
    public let directory: String
    /// The test CA's certificate: trust this one.
    public let caFile: String
    /// For `localhost`, `127.0.0.1` and `::1`, signed by the CA, valid 30 days.
    public let trusted: Pair
    /// The same names and CA, but it expired a day after it was issued (now).
    public let expired: Pair
    /// Signed by the CA for `other.example` only.
    public let wrongHost: Pair
    /// Signed by the CA for the DNS name `localhost` only (no IP address).
    public let dnsOnly: Pair
    /// Self-signed for `localhost` and `127.0.0.1`.
    public let selfSigned: Pair
    /// For `localhost` and `127.0.0.1`, signed by a CA nobody trusts.
    public let unknownCA: Pair

    /// Makes the CA and certificates in a new temporary directory (throws when `openssl`
    /// fails or is missing).
    public static func make() async throws -> TestCertificates {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func path(_ name: String) -> String { dir + "/" + name }
        let names = "DNS:localhost,IP:127.0.0.1,IP:::1"
        let caFile = try await authority(path("ca"), name: "HTTPCore Test CA")
        _ = try await authority(path("other-ca"), name: "Unknown Test CA")
        try await openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                           "-keyout", path("self-signed.key"), "-out", path("self-signed.pem"), "-days", "30",
                           "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        return TestCertificates(
            directory: dir, caFile: caFile,
            trusted: try await leaf(path("trusted"), names: names, ca: path("ca"), days: 30),
            expired: try await leaf(path("expired"), names: names, ca: path("ca"), days: -1),
            wrongHost: try await leaf(path("wrong-host"), names: "DNS:other.example", ca: path("ca"), days: 30),
            dnsOnly: try await leaf(path("dns-only"), names: "DNS:localhost", ca: path("ca"), days: 30),
            selfSigned: Pair(certificate: path("self-signed.pem"), key: path("self-signed.key")),
            unknownCA: try await leaf(path("unknown-ca"), names: names, ca: path("other-ca"), days: 30))
    }

    /// A CA certificate `<base>.pem` with key `<base>.key`; returns the certificate's path.
    static func authority(_ base: String, name: String) async throws -> String {
        try await openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                     "-keyout", base + ".key", "-out", base + ".pem", "-days", "30", "-subj", "/CN=\(name)",
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        return base + ".pem"
    }

    /// A server certificate for `names` (subjectAltName syntax) signed by the CA at `ca`
    /// (`.pem`/`.key`), valid `days` days from now (negative: already expired).
    static func leaf(_ base: String, names: String, ca: String, days: Int) async throws -> Pair {
        try await openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                     "-keyout", base + ".key", "-out", base + ".csr", "-subj", "/CN=test server"])
        let extensions = base + ".ext"
        try "subjectAltName=\(names)\nextendedKeyUsage=serverAuth\n".write(toFile: extensions, atomically: true, encoding: .utf8)
        try await openssl(["x509", "-req", "-in", base + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-CAcreateserial",
                     "-out", base + ".pem", "-days", String(days), "-extfile", extensions])
        return Pair(certificate: base + ".pem", key: base + ".key")
    }

    /// Runs `openssl args` (through `TestSupport.run`); throws with its output when it fails.
    public static func openssl(_ args: [String]) async throws {
        let result = try await TestSupport.run(URL(fileURLWithPath: "/usr/bin/env"), arguments: ["openssl"] + args,
                                               includingStandardError: true)
        guard result.status == 0 else { throw OpenSSLCommandError(args: args, output: result.output) }
    }

    /// Removes the directory.
    public func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

/// An `openssl` command that failed.
public struct OpenSSLCommandError: Error, CustomStringConvertible {
    /// Its arguments.
    public let args: [String]
    /// What it printed.
    public let output: String
    public var description: String { "openssl \(args.joined(separator: " ")) failed: \(output)" }
}
