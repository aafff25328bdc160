import Crypto
import ServiceKit

/// Job ids: chosen by the client (1–128 of `[A-Za-z0-9._-]`; it subscribes on `/ws` with
/// the same id) or made here (`job-` + 16 random hex digits).
enum JobID {
    /// The client's id, checked (400 when malformed), or a new one.
    static func resolve(_ given: String?) throws -> String {
        guard let given else { return "job-" + Hex.encode(SecureRandom.bytes(8)) }
        guard isValid(given) else { throw ServiceError.badRequest("jobId must be 1-128 characters of [A-Za-z0-9._-]") }
        return given
    }

    /// Whether `text` is a well-formed job id.
    static func isValid(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 128 && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7a)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}
