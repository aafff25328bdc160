import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Helpers shared by the test targets.
public enum TestSupport {
    /// A TCP port on loopback that is free now, for a server started a moment later
    /// (a child process, usually). It is drawn from below the kernel's ephemeral range,
    /// so the many `connect` and `bind(0)` calls of tests running meanwhile cannot take
    /// it first, and never handed out twice by this process. Plain system calls: never
    /// blocks a cooperative thread.
    public static func freePort() -> Int {
        let (low, _) = ephemeralRange()
        let floor = 10_000, ceiling = max(floor + 1000, low)
        for _ in 0..<1000 {
            let port = Int.random(in: floor..<ceiling)
            guard handedOut.withLock({ $0.insert(port).inserted }) else { continue }
            if canBind(port) { return port }
        }
        preconditionFailure("no free loopback port below the ephemeral range")
    }

    private static let handedOut = Mutex<Set<Int>>([])

    /// The kernel's ephemeral port range (the default when it cannot be read).
    static func ephemeralRange() -> (Int, Int) {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).compactMap { Int($0) }
        return parts.count == 2 ? (parts[0], parts[1]) : (32768, 60999)
    }

    /// Whether a listening socket could be bound to `port` on loopback right now.
    static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(4))
        return bindLoopback(fd, port: port) != nil
    }

    /// Binds `fd` to 127.0.0.1:`port` (0: any free port); the bound port, or nil.
    static func bindLoopback(_ fd: Int32, port: Int) -> Int? {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        return ok ? Int(UInt16(bigEndian: addr.sin_port)) : nil
    }

    /// A loopback port that refuses connections for as long as the result lives: a socket
    /// bound to it that never listens, so no other test can take the port meanwhile. The
    /// port is one of `freePort()`'s (below the ephemeral range): once released, no
    /// outgoing connection anywhere on the machine takes it as its source port before the
    /// server meant to take it next does.
    public final class RefusingPort: @unchecked Sendable {
        public let port: Int
        private var fd: Int32

        public init() {
            for _ in 0..<100 {
                let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                if let bound = TestSupport.bindLoopback(s, port: TestSupport.freePort()) {
                    fd = s
                    port = bound
                    return
                }
                close(s)  // taken in between by another process: draw another
            }
            preconditionFailure("cannot bind a loopback port")
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

    /// Runs the `auth-gateway` command line on the database in `dataDir` (off the
    /// cooperative pool); returns stdout, or throws when it exits non-zero.
    public static func gatewayCLI(_ args: [String], dataDir: String) async throws -> String {
        var env = ProcessInfo.processInfo.environment
        env["DATA_DIR"] = dataDir
        let result = try await run(binDir.appendingPathComponent("auth-gateway"), arguments: args, environment: env)
        guard result.status == 0 else { throw CLIError(args: args, status: result.status) }
        return result.output
    }

    /// A gateway user with roles and a new API key for it (on the database in `dataDir`).
    public static func createGatewayUser(_ name: String, roles: [String], dataDir: String) async throws -> String {
        _ = try await gatewayCLI(["users", "create", name] + roles.flatMap { ["--role", $0] }, dataDir: dataDir)
        let out = try await gatewayCLI(["keys", "create", name], dataDir: dataDir)
        return out.split(separator: "\n").last.map(String.init) ?? ""
    }

    /// A command-line run that failed.
    public struct CLIError: Error, CustomStringConvertible {
        public let args: [String]
        public let status: Int32
        public var description: String { "auth-gateway \(args.joined(separator: " ")) exited \(status)" }
    }
}
