import Foundation
import Testing
@testable import HTTPCore

/// `Sec-WebSocket-Key` checks through `Crypto.Base64` accept exactly the keys the former
/// check (24 characters that Foundation decodes to 16 bytes) accepted.
@Suite struct WebSocketKeyTests {
    static let candidates = [
        "dGhlIHNhbXBsZSBub25jZQ==",  // RFC 6455's example
        "AAAAAAAAAAAAAAAAAAAAAA==",
        "AAAAAAAAAAAAAAAAAAAAAB==",  // bits after the 16th byte set: accepted as before
        "AAAAAAAAAAAAAAAAAAAAAP==",
        "/////////////////////w==",
        "AAAAAAAAAAAAAAAAAAAAAAA=",  // 17 bytes
        "AAAAAAAAAAAAAAAAAAAAAAB=",  // 17 bytes, stray bits
        "AAAAAAAAAAAAAAAAAAAAAAAA",  // 18 bytes
        "AAAAAAAAAAAAAAAAAAAAAA=",   // 23 characters
        "AAAAAAAAAAAAAAAAAAAAA===",  // three pads
        "AAAAAAAAAAAA AAAAAAAAA==",  // a space inside
        "AAAAAAAAAAAAAAAAAAAA-A==",  // base64url, not base64
        "AAAAAAAAAAAAAAAAAAAA_A==",
        "AAAAAAAAAA=AAAAAAAAAAA==",  // padding inside
        "",
        "c2hvcnQ=",
    ]

    @Test func acceptsWhatFoundationAccepted() {
        for key in Self.candidates {
            let before = key.utf8.count == 24 && Data(base64Encoded: key)?.count == 16
            #expect(WebSocketHandshake.isValidKey(key) == before, "\(key)")
        }
    }

    @Test func madeKeysAreValidAndFresh() {
        let keys = (0..<32).map { _ in WebSocketHandshake.makeKey() }
        #expect(keys.allSatisfy { WebSocketHandshake.isValidKey($0) && Data(base64Encoded: $0)?.count == 16 })
        #expect(Set(keys).count == keys.count)
    }
}
