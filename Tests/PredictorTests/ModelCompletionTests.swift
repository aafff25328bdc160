import Foundation
import Testing
@testable import Predictor

private func ctx(_ file: String, base: NGramModel? = smallModel(), user: UserModel? = nil) throws -> CompletionContext {
    try CompletionContext(fileText: file, resources: ModelResources(base: base, user: user))
}

@Test func cursorMarkerIsValidated() {
    #expect(throws: CompletionError.missingCursor) { try CompletionContext(fileText: "x = 1\n") }
    #expect(throws: CompletionError.multipleCursors) { try CompletionContext(fileText: "<cursor> x <cursor>") }
    let c = try? CompletionContext(fileText: "abc = fo<cursor>o(1)\nnext")
    #expect(c?.typedPrefix == "fo")
    #expect(c?.restOfLine == "o(1)")
}

@Test func predictionsStartWithTypedPrefixAndStayOnTheLine() async throws {
    let file = trainingSource + "\ndef other(argv):\n    conf<cursor>\n    return 1\n"
    for name in ["auto", "ngram", "symbols"] {
        let model = try #require(ModelRegistry.standard().model(named: name))
        let preds = await model.complete(try ctx(file), n: 5)
        #expect(!preds.isEmpty, "\(name)")
        #expect(Set(preds.map(\.text)).count == preds.count)
        for p in preds {
            #expect(p.text.hasPrefix("conf"), "\(name): \(p.text)")
            #expect(!p.text.contains("\n") && !p.text.isEmpty)
            #expect(p.model == name)
        }
        #expect(preds.first?.text.hasPrefix("config") == true)
    }
}

@Test func lineCompletionRunsToTheEndOfTheLineOnly() async throws {
    let file = "import os\nresult = os.path.join(a, b)\nother = os.path.join(a, b)\nthird = os.pa<cursor>\nx = 2\n"
    let preds = await deterministicAuto().complete(try ctx(file), n: 3)
    #expect(preds.first?.text == "os.path.join(a, b)".dropFirst(3).description)
    // With code right of the cursor, only the identifier is completed.
    let mid = "import os\nresult = os.path.join(a, b)\nthird = os.pa<cursor>.join(c)\n"
    let p2 = await deterministicAuto().complete(try ctx(mid), n: 3)
    #expect(p2.first?.text == "path")
}

@Test func noPredictionsInsideStringsOrComments() async throws {
    let inString = "x = 'hello wor<cursor>\n"
    #expect(await deterministicAuto().complete(try ctx(inString), n: 3).isEmpty)
    let inComment = "# a comment wor<cursor>\n"
    #expect(await deterministicAuto().complete(try ctx(inComment), n: 3).isEmpty)
}

@Test func predictionsWorkWithoutAnyBaseModel() async throws {
    let file = "def compute_total(values):\n    return sum(values)\n\nresult = comp<cursor>\n"
    let preds = await deterministicAuto().complete(try ctx(file, base: nil), n: 3)
    #expect(preds.first?.text.hasPrefix("compute_total") == true)
}

@Test func symbolScannerFindsDefinitions() {
    let src = """
    import os.path as osp, json
    from collections import OrderedDict as OD, deque
    class Widget(Base):
        def __init__(self, size, *args, color=None, **kw):
            self.size = size
            total, count = 0, 0
    for idx, val in enumerate(x):
        pass
    with open(p) as fh:
        value: int = 3
    """
    let names = Dictionary(SymbolScanner.scan(src).map { ($0.name, $0.kind) }, uniquingKeysWith: { a, _ in a })
    #expect(names["osp"] == .import && names["json"] == .import && names["OD"] == .import && names["deque"] == .import)
    #expect(names["Widget"] == .class && names["__init__"] == .function)
    #expect(names["size"] != nil && names["args"] == .parameter && names["color"] == .parameter && names["kw"] == .parameter)
    #expect(names["total"] == .variable && names["count"] == .variable)
    #expect(names["idx"] == .variable && names["val"] == .variable && names["fh"] == .variable && names["value"] == .variable)
    #expect(names["self"] == nil && names["os"] == nil)
}

@Test func selfAttributesAreSuggestedAfterSelfDot() async throws {
    let file = """
    class Account:
        def __init__(self):
            self.balance_cents = 0
            self.owner_name = ""

        def show(self):
            return self.bal<cursor>

    """
    let preds = await SymbolCompletionModel().complete(try ctx(file), n: 3)
    #expect(preds.first?.text == "balance_cents")
}

@Test func registryLooksModelsUpByName() {
    let r = ModelRegistry.standard()
    #expect(r.names == ["auto", "ngram", "symbols"])
    #expect(r.model(named: nil)?.name == "auto")
    #expect(r.model(named: "")?.name == "auto")
    #expect(r.model(named: "llm") == nil)
}
