@testable import Orchestrator
import Testing

@Suite struct IdentifierTests {
    @Test func uuidsAreVersion4AndDistinct() {
        let ids = (0..<1000).map { _ in OrchestratorStore.newUUID() }
        #expect(Set(ids).count == 1000)
        for id in ids.prefix(50) {
            let chars = Array(id)
            #expect(chars.count == 36)
            #expect(chars[14] == "4")
            #expect("89ab".contains(chars[19]))
            #expect(id == id.lowercased())
        }
    }
}
