import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Helpers shared by the test targets.
public enum TestSupport {
    /// A TCP port on loopback that was free a moment ago (bound to 0, read back,
    /// released). Plain system calls: never blocks a cooperative thread.
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        precondition(ok, "cannot bind a loopback port")
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// A loopback port that refuses connections for as long as the result lives: a socket
    /// bound to it that never listens, so no other test can take the port meanwhile.
    public final class RefusingPort: @unchecked Sendable {
        public let port: Int
        private var fd: Int32

        public init() {
            let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &addr) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, len) == 0 && getsockname(s, $0, &len) == 0 }
            }
            precondition(ok, "cannot bind a loopback port")
            fd = s
            port = Int(UInt16(bigEndian: addr.sin_port))
        }

        /// Frees the port (for a server that should take it next).
        public func release() {
            if fd >= 0 { close(fd); fd = -1 }
        }

        deinit { release() }
    }

    /// The directory of the built executables: TEST_BIN_DIR, else the test bundle's own.
    public static var binDir: URL {
        if let d = ProcessInfo.processInfo.environment["TEST_BIN_DIR"] { return URL(fileURLWithPath: d) }
        return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// Runs the `auth-gateway` command line on the database in `dataDir`; returns stdout,
    /// or throws when it exits non-zero.
    public static func gatewayCLI(_ args: [String], dataDir: String) throws -> String {
        let p = Process()
        p.executableURL = binDir.appendingPathComponent("auth-gateway")
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["DATA_DIR"] = dataDir
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CLIError(args: args, status: p.terminationStatus) }
        return text
    }

    /// A gateway user with roles and a new API key for it (on the database in `dataDir`).
    public static func createGatewayUser(_ name: String, roles: [String], dataDir: String) throws -> String {
        _ = try gatewayCLI(["users", "create", name] + roles.flatMap { ["--role", $0] }, dataDir: dataDir)
        let out = try gatewayCLI(["keys", "create", name], dataDir: dataDir)
        return out.split(separator: "\n").last.map(String.init) ?? ""
    }

    /// A command-line run that failed.
    public struct CLIError: Error, CustomStringConvertible {
        public let args: [String]
        public let status: Int32
        public var description: String { "auth-gateway \(args.joined(separator: " ")) exited \(status)" }
    }
}
