/// A small, strict `multipart/form-data` parser (RFC 7578): the boundary comes from the
/// Content-Type, each part must carry `Content-Disposition: form-data; name="..."`.
/// Anything malformed is an error (the handler answers 400).
public enum Multipart {
    /// One part: its field name, optional file name and raw bytes.
    public struct Part: Sendable, Equatable {
        public var name: String
        public var filename: String?
        public var contentType: String?
        public var body: [UInt8]
    }

    /// Why a body could not be parsed.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
        init(_ r: String) { reason = r }
    }

    /// The `boundary` parameter of a `multipart/form-data` Content-Type.
    public static func boundary(fromContentType ct: String) throws(ParseError) -> String {
        let items = ct.split(separator: ";").map { $0.trimmingSpacesAndTabs() }
        guard let first = items.first, first.lowercased() == "multipart/form-data" else {
            throw ParseError("Content-Type is not multipart/form-data")
        }
        for p in items.dropFirst() {
            let kv = p.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingSpacesAndTabs().lowercased() == "boundary" else { continue }
            var v = kv[1].trimmingSpacesAndTabs()
            if v.count >= 2 && v.hasPrefix("\"") && v.hasSuffix("\"") { v = String(v.dropFirst().dropLast()) }
            guard (1...70).contains(v.utf8.count), !v.utf8.contains(where: { $0 < 0x20 || $0 > 0x7e }) else {
                throw ParseError("invalid multipart boundary")
            }
            return v
        }
        throw ParseError("multipart/form-data without a boundary")
    }

    /// Parses `body` delimited by `boundary`.
    public static func parse(_ body: [UInt8], boundary: String) throws(ParseError) -> [Part] {
        let dash = Array("--\(boundary)".utf8)
        let delimiter = [13, 10] + dash  // CRLF--boundary
        // The body starts with the first delimiter (a preamble before it is allowed).
        var pos: Int
        if body.starts(with: dash) {
            pos = dash.count
        } else if let i = find(delimiter, in: body, from: 0) {
            pos = i + delimiter.count
        } else {
            throw ParseError("multipart body has no boundary line")
        }
        var parts: [Part] = []
        while true {
            // After a delimiter: `--` (the end) or CRLF (a part follows); transport padding allowed.
            if body.count >= pos + 2 && body[pos] == 45 && body[pos + 1] == 45 { return parts }
            while pos < body.count && (body[pos] == 32 || body[pos] == 9) { pos += 1 }
            guard body.count >= pos + 2, body[pos] == 13, body[pos + 1] == 10 else {
                throw ParseError("malformed multipart delimiter line")
            }
            pos += 2
            if body.count >= pos + 2 && body[pos] == 13 && body[pos + 1] == 10 {
                throw ParseError("multipart part without headers")
            }
            guard let headEnd = find([13, 10, 13, 10], in: body, from: pos) else {
                throw ParseError("multipart part without a header block")
            }
            let headerBytes = Array(body[pos..<headEnd])
            let contentStart = headEnd + 4
            guard let next = find(delimiter, in: body, from: contentStart) else {
                throw ParseError("multipart body is not terminated")
            }
            guard next >= contentStart else { throw ParseError("malformed multipart part") }
            var part = try parseHeaders(headerBytes)
            part.body = Array(body[contentStart..<next])
            parts.append(part)
            guard parts.count <= 64 else { throw ParseError("too many multipart parts") }
            pos = next + delimiter.count
        }
    }

    static func parseHeaders(_ bytes: [UInt8]) throws(ParseError) -> Part {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw ParseError("multipart headers are not UTF-8") }
        var name: String?
        var filename: String?
        var contentType: String?
        for line in text.split(separator: "\r\n", omittingEmptySubsequences: false) {
            guard let colon = line.firstIndex(of: ":") else { throw ParseError("malformed multipart header line") }
            let key = line[..<colon].trimmingSpacesAndTabs().lowercased()
            let value = line[line.index(after: colon)...].trimmingSpacesAndTabs()
            switch key {
            case "content-disposition":
                let params = try dispositionParameters(value)
                name = params["name"]
                filename = params["filename"]
            case "content-type":
                contentType = value
            default:
                continue
            }
        }
        guard let name else { throw ParseError("multipart part without Content-Disposition: form-data; name=...") }
        return Part(name: name, filename: filename, contentType: contentType, body: [])
    }

    /// `form-data; name="x"; filename="y"` → parameters (quoted strings with `\` escapes).
    static func dispositionParameters(_ v: String) throws(ParseError) -> [String: String] {
        let u = Array(v.utf8)
        var i = 0
        func skipWS() { while i < u.count && (u[i] == 32 || u[i] == 9) { i += 1 } }
        func token() -> String {
            let s = i
            while i < u.count && u[i] != 59 && u[i] != 61 && u[i] != 32 && u[i] != 9 { i += 1 }
            return String(decoding: u[s..<i], as: UTF8.self)
        }
        let type = token().lowercased()
        guard type == "form-data" else { throw ParseError("multipart part is not form-data") }
        var out: [String: String] = [:]
        while true {
            skipWS()
            if i >= u.count { break }
            guard u[i] == 59 else { throw ParseError("malformed Content-Disposition") }
            i += 1
            skipWS()
            let key = token().lowercased()
            skipWS()
            guard !key.isEmpty, i < u.count, u[i] == 61 else { throw ParseError("malformed Content-Disposition parameter") }
            i += 1
            skipWS()
            var value: [UInt8] = []
            if i < u.count && u[i] == 34 {
                i += 1
                var closed = false
                while i < u.count {
                    if u[i] == 92 && i + 1 < u.count { value.append(u[i + 1]); i += 2; continue }
                    if u[i] == 34 { closed = true; i += 1; break }
                    value.append(u[i]); i += 1
                }
                guard closed else { throw ParseError("unterminated quoted string in Content-Disposition") }
            } else {
                let s = i
                while i < u.count && u[i] != 59 && u[i] != 32 && u[i] != 9 { i += 1 }
                value = Array(u[s..<i])
            }
            guard out[key] == nil else { throw ParseError("duplicate Content-Disposition parameter '\(key)'") }
            out[key] = String(decoding: value, as: UTF8.self)
        }
        return out
    }

    /// The first index of `needle` in `hay` at or after `from`.
    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count else { return nil }
        let first = needle[0]
        var i = max(0, from)
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == first {
                var j = 1
                while j < needle.count && hay[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingSpacesAndTabs() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
