import Dispatch
import Foundation
import JSON
import Synchronization

/// Log severity, lowest first.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case debug, info, warning, error
    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }
    /// The name written in each line.
    public var name: String { ["debug", "info", "warning", "error"][rawValue] }
    /// Parses `debug|info|warning|warn|error` (case-insensitive).
    public init?(name: String) {
        switch name.lowercased() {
        case "debug": self = .debug
        case "info": self = .info
        case "warning", "warn": self = .warning
        case "error": self = .error
        default: return nil
        }
    }
}

/// A JSON-lines logger: one object per line on stderr with time, level, service,
/// request_id, msg and fields. Lines are buffered and written by a background flush
/// (errors at once), so logging costs no system call on the request path.
public struct Logger: Sendable {
    /// The service name written in each line.
    public let service: String
    /// Lines below this level are dropped.
    public let level: LogLevel
    let sink: LogSink

    public init(service: String, level: LogLevel = .info, sink: LogSink = .standardError) {
        self.service = service
        self.level = level
        self.sink = sink
    }

    /// Writes one line if `level` is enabled. Field values are strings, numbers or booleans.
    public func log(_ level: LogLevel, _ msg: String, requestID: String? = nil, _ fields: [(String, any Sendable)] = []) {
        guard level >= self.level else { return }
        var line = JSONBuilder(capacity: 128 + msg.utf8.count)
        line.raw("{\"time\":\"")
        line.raw(LogSink.timestamp())
        line.raw("\",\"level\":\"\(level.name)\",\"service\":")
        line.string(service)
        if let requestID {
            line.raw(",\"request_id\":")
            line.string(requestID)
        }
        line.raw(",\"msg\":")
        line.string(msg)
        if !fields.isEmpty {
            line.raw(",\"fields\":{")
            for (i, (k, v)) in fields.enumerated() {
                if i > 0 { line.raw(",") }
                line.string(k)
                line.raw(":")
                switch v {
                case let b as Bool: line.bool(b)
                case let n as Int: line.int(n)
                case let d as Double: line.double(d)
                case let text as String: line.string(Logger.bounded(text))
                default: line.string(Logger.bounded(String(describing: v)))
                }
            }
            line.raw("}")
        }
        line.raw("}\n")
        sink.write(line.bytes, immediately: level >= .error)
    }

    /// The most bytes of one field value written to a line; a longer value (a request
    /// path of kilobytes, a long error) is cut there and says how much was left out.
    public static let maxValueBytes = 1024

    /// `text`, or its first `maxValueBytes` bytes (at a character boundary) and a marker.
    @inline(__always)
    static func bounded(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.count > maxValueBytes else { return text }
        var end = utf8.index(utf8.startIndex, offsetBy: maxValueBytes)
        // Back off to the start of a UTF-8 sequence (continuation bytes are 10xxxxxx).
        while end > utf8.startIndex && utf8[end] & 0xC0 == 0x80 { end = utf8.index(before: end) }
        let kept = utf8.distance(from: utf8.startIndex, to: end)
        return String(Substring(utf8[..<end])) + "…[+\(utf8.count - kept) bytes]"
    }

    public func debug(_ m: String, requestID: String? = nil, _ f: [(String, any Sendable)] = []) { log(.debug, m, requestID: requestID, f) }
    public func info(_ m: String, requestID: String? = nil, _ f: [(String, any Sendable)] = []) { log(.info, m, requestID: requestID, f) }
    public func warning(_ m: String, requestID: String? = nil, _ f: [(String, any Sendable)] = []) { log(.warning, m, requestID: requestID, f) }
    public func error(_ m: String, requestID: String? = nil, _ f: [(String, any Sendable)] = []) { log(.error, m, requestID: requestID, f) }
}

/// Where log lines go: a buffer flushed to a file descriptor every 100 ms.
public final class LogSink: @unchecked Sendable {
    private let fd: Int32
    private let buffer = Mutex<[UInt8]>([])
    private let timer: DispatchSourceTimer

    /// Standard error, shared.
    public static let standardError = LogSink(fd: 2)

    /// A sink over a descriptor.
    public init(fd: Int32) {
        self.fd = fd
        timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        timer.schedule(deadline: .now() + .milliseconds(100), repeating: .milliseconds(100))
        timer.setEventHandler { [weak self] in self?.flush() }
        timer.resume()
    }

    func write(_ line: [UInt8], immediately: Bool) {
        let big = buffer.withLock { b -> Bool in
            b.append(contentsOf: line)
            return b.count > 64 * 1024
        }
        if immediately || big { flush() }
    }

    /// Writes everything buffered now.
    public func flush() {
        let bytes = buffer.withLock { b -> [UInt8] in let out = b; b.removeAll(keepingCapacity: true); return out }
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { p in
            var off = 0
            while off < p.count {
                let n = Foundation.write(fd, p.baseAddress! + off, p.count - off)
                if n <= 0 { break }
                off += n
            }
        }
    }

    static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = ts.tv_sec
        var tmv = tm()
        gmtime_r(&t, &tmv)
        func p(_ v: Int32, _ w: Int = 2) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        let ms = Int32(ts.tv_nsec / 1_000_000)
        return "\(tmv.tm_year + 1900)-\(p(tmv.tm_mon + 1))-\(p(tmv.tm_mday))T\(p(tmv.tm_hour)):\(p(tmv.tm_min)):\(p(tmv.tm_sec)).\(p(ms, 3))Z"
    }
}
