import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A client that sends exact bytes as curl or an attacker would (no client library
/// deciding what is valid), on a thread of its own so Swift's cooperative pool is never
/// blocked; loopback only.
enum RawHTTP {
    /// One parsed response.
    struct Response {
        var status: Int
        /// Field names lowercased.
        var headers: [String: String]
        /// De-chunked.
        var body: [UInt8]
    }

    /// Sends `request` to 127.0.0.1:`port`, reads until the peer closes (or 10 s of
    /// silence, or `closeAfter` has arrived: then this side closes), and returns the bytes
    /// received.
    static func exchange(port: Int, _ request: String, closeAfter marker: String? = nil) async -> [UInt8] {
        let bytes = Array(request.utf8)
        return await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: blockingExchange(port: port, bytes, closeAfter: marker)) }.start()
        }
    }

    private static func blockingExchange(port: Int, _ bytes: [UInt8], closeAfter marker: String?) -> [UInt8] {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return [] }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { send(socketFD, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return [] }
            sent += count
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(socketFD, &buffer, buffer.count, 0)
            if count <= 0 { return received }
            received += buffer[0..<count]
            if let marker, String(decoding: received, as: UTF8.self).contains(marker) { return received }
        }
    }

    /// The consecutive responses in `bytes` (Content-Length or chunked bodies); stops at
    /// the first that is incomplete.
    static func responses(_ bytes: [UInt8]) -> [Response] {
        var responses: [Response] = []
        var offset = 0
        let headEnd: [UInt8] = Array("\r\n\r\n".utf8)
        func find(_ needle: [UInt8], from start: Int) -> Int? {
            guard start + needle.count <= bytes.count else { return nil }
            for index in start...(bytes.count - needle.count) where bytes[index..<index + needle.count].elementsEqual(needle) { return index }
            return nil
        }
        while let end = find(headEnd, from: offset) {
            let lines = String(decoding: bytes[offset..<end], as: UTF8.self).components(separatedBy: "\r\n")
            guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else { break }
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            var cursor = end + 4
            var body: [UInt8] = []
            if headers["transfer-encoding"]?.lowercased() == "chunked" {
                while true {
                    guard let lineEnd = find(Array("\r\n".utf8), from: cursor),
                          let size = Int(String(decoding: bytes[cursor..<lineEnd], as: UTF8.self).split(separator: ";")[0], radix: 16),
                          lineEnd + 2 + size + 2 <= bytes.count else { return responses }
                    body += bytes[(lineEnd + 2)..<(lineEnd + 2 + size)]
                    cursor = lineEnd + 2 + size + 2
                    if size == 0 { break }
                }
            } else {
                let length = Int(headers["content-length"] ?? "0") ?? 0
                guard cursor + length <= bytes.count else { return responses }
                body = Array(bytes[cursor..<(cursor + length)])
                cursor += length
            }
            responses.append(Response(status: status, headers: headers, body: body))
            offset = cursor
        }
        return responses
    }
}
