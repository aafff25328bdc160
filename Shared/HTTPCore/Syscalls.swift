#if canImport(Glibc)
import CLinux
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An error from a system call, with the call's name and `errno`.
public struct SystemError: Error, CustomStringConvertible, Sendable {
    /// The failing call, e.g. `bind`.
    public let call: String
    /// The `errno` value (for `getaddrinfo`, its `EAI_*` code).
    public let code: Int32
    /// What went wrong, when `strerror(code)` does not say it (`getaddrinfo`'s codes are not errnos).
    public let reason: String?
    /// Makes an error from the current `errno`.
    public init(_ call: String, code: Int32 = errno) {
        self.call = call
        self.code = code
        self.reason = nil
    }
    /// Makes an error whose code is not an `errno`, with its own words.
    public init(_ call: String, code: Int32, reason: String) {
        self.call = call
        self.code = code
        self.reason = reason
    }
    /// `call: reason (errno N)`, or `call: reason` for a code that is not an errno.
    public var description: String {
        if let reason { return "\(call): \(reason)" }
        return "\(call): \(String(cString: strerror(code))) (errno \(code))"
    }
}

/// Thin wrappers over the socket calls HTTPCore uses.
enum Sys {
    static let sockStream = Int32(SOCK_STREAM.rawValue)
    static let sockNonblockCloexec = Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)

    static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) {
        var v = value
        _ = setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Monotonic time in nanoseconds.
    @inline(__always) static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}

/// A resolved socket address (IPv4 or IPv6).
public struct SocketAddress: Sendable, CustomStringConvertible {
    var storage: sockaddr_storage
    var length: socklen_t

    /// The address family (`AF_INET` or `AF_INET6`).
    public var family: Int32 { Int32(storage.ss_family) }

    /// Resolves a host name or literal and a port (numeric hosts need no DNS).
    public static func resolve(host: String, port: Int) throws -> SocketAddress {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Sys.sockStream
        hints.ai_flags = AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let rc = getaddrinfo(name, String(port), &hints, &result)
        guard rc == 0, let info = result else {
            throw SystemError("getaddrinfo(\(host))", code: rc, reason: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(result) }
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { dst in
            dst.copyMemory(from: UnsafeRawBufferPointer(start: info.pointee.ai_addr, count: Int(info.pointee.ai_addrlen)))
        }
        return SocketAddress(storage: storage, length: info.pointee.ai_addrlen)
    }

    init(storage: sockaddr_storage, length: socklen_t) {
        self.storage = storage
        self.length = length
    }

    /// The port number.
    public var port: Int {
        var s = storage
        return withUnsafePointer(to: &s) { p in
            p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }

    /// The host as a numeric string (no port).
    public var host: String {
        var s = storage
        var buf = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        withUnsafePointer(to: &s) { p in
            if family == AF_INET6 {
                p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                    var a = sin6.pointee.sin6_addr
                    _ = inet_ntop(AF_INET6, &a, &buf, socklen_t(buf.count))
                }
            } else {
                p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    var a = sin.pointee.sin_addr
                    _ = inet_ntop(AF_INET, &a, &buf, socklen_t(buf.count))
                }
            }
        }
        return String(cString: buf)
    }

    public var description: String { family == AF_INET6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var s = storage
        return withUnsafePointer(to: &s) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
