@testable import AIBridgeQuery
import Foundation
import Testing

/// The bridge's ids: version-4 UUIDs from the kernel's generator.
@Suite struct UUIDRandomTests {
    @Test func versionVariantAndDistinct() {
        let ids = (0..<1000).map { _ in UUID.random() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let text = id.uuidString
            let parts = text.split(separator: "-")
            #expect(parts.count == 5)
            #expect(parts[2].first == "4", "\(text)")
            #expect(parts[3].first.map { "89AB".contains($0) } == true, "\(text)")
            #expect(UUID(uuidString: text.lowercased()) == id)
        }
    }
}
