import Contracts
import Foundation

extension Date {
    /// Microseconds since 1970 (how the store keeps times).
    var microsecondsSince1970: Int64 {
        Int64((timeIntervalSince1970 * 1_000_000).rounded())
    }
}

extension AIBridgeQueryAPI.Timestamp {
    /// The timestamp of a date, to the microsecond.
    init(_ date: Date) {
        self.init(microseconds: date.microsecondsSince1970)
    }
}

extension UUID {
    /// The lowercase text form the store keeps and the API answers (as coder's Go writes it).
    var lowercased: String { uuidString.lowercased() }
}
