import Crypto

extension OrchestratorStore {
    /// A random (version 4) UUID, lower-case (Foundation's opens /dev/urandom each time;
    /// this is one `getrandom` call and no allocation but the string's).
    static func newUUID() -> String {
        var random: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &random) { bytes in
            SecureRandom.fill(bytes)
            bytes[6] = (bytes[6] & 0x0F) | 0x40
            bytes[8] = (bytes[8] & 0x3F) | 0x80
            return String(unsafeUninitializedCapacity: 36) { out in
                var written = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 { out[written] = 0x2D; written += 1 }
                    out[written] = Hex.digit(byte >> 4)
                    out[written + 1] = Hex.digit(byte)
                    written += 2
                }
                return written
            }
        }
    }
}
