extension OrchestratorStore {
    /// A random (version 4) UUID, lower-case (Foundation's opens /dev/urandom each time).
    static func newUUID() -> String {
        var g = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 16)
        let a: UInt64 = g.next(), b: UInt64 = g.next()
        for k in 0..<8 {
            bytes[k] = UInt8(truncatingIfNeeded: a >> (8 * k))
            bytes[8 + k] = UInt8(truncatingIfNeeded: b >> (8 * k))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(36)
        for (k, v) in bytes.enumerated() {
            if k == 4 || k == 6 || k == 8 || k == 10 { out.append(0x2D) }
            out.append(hex[Int(v >> 4)])
            out.append(hex[Int(v & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
