/// The rules for entry names: a relative path of `/`-separated segments, so that an
/// unpacked archive stays inside the folder it is unpacked into.
enum ZIPEntryName {
    /// The UTF-8 bytes of `name`, or the rule it breaks: empty, longer than 65,535 bytes,
    /// starting with `/`, holding a NUL, another control character or a backslash, an
    /// empty segment (`a//b`, a trailing `/`), or a `.` or `..` segment.
    static func validated(_ name: String) throws(ZIPError) -> [UInt8] {
        func refuse(_ reason: String) -> ZIPError { ZIPError.invalidName(name, reason: reason) }
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty else { throw refuse("the name is empty") }
        guard bytes.count <= 0xFFFF else { throw refuse("longer than 65,535 bytes") }
        guard bytes[0] != UInt8(ascii: "/") else { throw refuse("an absolute path (starts with '/')") }
        if bytes.contains(0) { throw refuse("contains a NUL byte") }
        if bytes.contains(UInt8(ascii: "\\")) { throw refuse("contains a backslash (the separator is '/')") }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) { throw refuse("contains a control character") }
        for segment in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            if segment.isEmpty { throw refuse("an empty path segment ('//' or a trailing '/')") }
            if segment.elementsEqual([UInt8(ascii: ".")]) { throw refuse("a '.' segment") }
            if segment.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) { throw refuse("a '..' segment") }
        }
        return bytes
    }
}
