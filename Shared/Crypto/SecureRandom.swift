import CLinux
import Glibc

/// Cryptographically secure random bytes from the kernel (`getrandom(2)`, the same pool as
/// `/dev/urandom`, one system call for up to 256 bytes): API keys, session ids, tokens,
/// random UUIDs. Never fails: should the system call be refused, the standard library's
/// `SystemRandomNumberGenerator` (also the kernel's generator) fills the rest.
public enum SecureRandom {
    /// Fills `buffer` with random bytes.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        var filled = 0
        while filled < buffer.count {
            let got = getrandom(base + filled, buffer.count - filled, 0)
            if got > 0 {
                filled += got
            } else if got < 0 && errno == EINTR {
                continue
            } else {
                var generator = SystemRandomNumberGenerator()
                for index in filled..<buffer.count { buffer[index] = generator.next() }
                return
            }
        }
    }

    /// `count` random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            fill(UnsafeMutableRawBufferPointer(out))
            initialized = count
        }
    }

    /// A random 64-bit number.
    public static func uint64() -> UInt64 {
        var value: UInt64 = 0
        withUnsafeMutableBytes(of: &value) { fill($0) }
        return value
    }
}
