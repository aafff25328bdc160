import Crypto
import Foundation

extension UUID {
    /// A random (version 4) UUID from one `getrandom(2)` call. Foundation's `UUID()` opens,
    /// reads and closes `/dev/urandom` each time on Linux: three system calls per id, and the
    /// bridge makes several ids per recorded call.
    static func random() -> UUID {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { SecureRandom.fill($0) }
        bytes.6 = (bytes.6 & 0x0F) | 0x40  // version 4
        bytes.8 = (bytes.8 & 0x3F) | 0x80  // RFC 4122 variant
        return UUID(uuid: bytes)
    }
}
