import Foundation

/// A failure of a store operation the caller can act on.
public enum AIBridgeStoreError: Error, Equatable, Sendable {
    /// `finish` named an interception that was never started.
    case unknownInterception(UUID)
    /// `start` was given an id that is already stored.
    case duplicateInterception(UUID)
    /// The interceptions cursor (`after_id`) names no interception the caller can see.
    case interceptionCursorNotFound(String)
    /// The sessions cursor (`after_session_id`) names no session the caller can see.
    case sessionCursorNotFound(String)
}
