import Testing
@testable import Predictor

@Suite struct DecoderPlausibilityTests {
    @Test func onlyBlockHeadersEndWithAColon() {
        #expect(!LocalDecoder.isPlausibleLine("frobnicate(self):", lineStartsWith: "x"))
        #expect(LocalDecoder.isPlausibleLine("frobnicate(self):", lineStartsWith: "def"))
        #expect(LocalDecoder.isPlausibleLine("frobnicate()", lineStartsWith: "x"))
        #expect(LocalDecoder.isPlausibleLine("for x in items:", lineStartsWith: nil))
        #expect(!LocalDecoder.isPlausibleLine("result = compute(x):", lineStartsWith: nil))
    }

    @Test func defNeedsParametersAndNamesNeedAnOperatorBetween() {
        #expect(!LocalDecoder.isPlausibleLine("tot:", lineStartsWith: "def"))
        #expect(LocalDecoder.isPlausibleLine("total(self):", lineStartsWith: "def"))
        #expect(LocalDecoder.isPlausibleLine("Foo:", lineStartsWith: "class"))
        #expect(!LocalDecoder.isPlausibleLine("zanzibar_frobnicate x", lineStartsWith: "x"))
        #expect(LocalDecoder.isPlausibleLine("item in items if item is not None", lineStartsWith: "x"))
        #expect(LocalDecoder.isPlausibleLine("os import path", lineStartsWith: "from"))
    }

    @Test func lineHeadSkipsIndentation() {
        #expect(LocalDecoder.lineHead(["<s>", "def", "f", "(", ")", ":", "<nl>", "<in>", "x", "="]) == "x")
        #expect(LocalDecoder.lineHead(["<s>", "import", "os", "<nl>"]) == nil)
        #expect(LocalDecoder.lineHead(["<s>", "class"]) == "class")
    }
}
