import Testing
@testable import Predictor

private func kinds(_ s: String) -> [PyTokenKind] { PythonTokenizer().tokenize(s).map(\.kind) }
private func texts(_ s: String, keepComments: Bool = false) -> [String] {
    let b = Array(s.utf8)
    return PythonTokenizer(keepComments: keepComments).tokenize(bytes: b).map { $0.text(in: b) }
}

@Test func simpleStatementTokens() {
    #expect(texts("x = foo(a, b=1)\n") == ["x", "=", "foo", "(", "a", ",", "b", "=", "1", ")", "\n", ""])
    #expect(kinds("x = 1\n") == [.name, .op, .number, .newline, .endMarker])
}

@Test func numbersOfAllShapes() {
    let src = "a = 0x_FF + 0o17 + 0b1010 + 1_000_000 + 3.14e-10 + .5 + 10j + 1.5J + 1e5\n"
    let toks = PythonTokenizer().tokenize(src)
    let b = Array(src.utf8)
    let nums = toks.filter { $0.kind == .number }.map { $0.text(in: b) }
    #expect(nums == ["0x_FF", "0o17", "0b1010", "1_000_000", "3.14e-10", ".5", "10j", "1.5J", "1e5"])
}

@Test func stringPrefixesAndTripleQuotes() {
    let src = "s = rb'x\\'y' + Rb\"q\" + u'u' + '''a\n'b'\nc''' + \"\"\"d\"\"\"\n"
    let b = Array(src.utf8)
    let strs = PythonTokenizer().tokenize(bytes: b).filter { $0.kind == .string }.map { $0.text(in: b) }
    #expect(strs == ["rb'x\\'y'", "Rb\"q\"", "u'u'", "'''a\n'b'\nc'''", "\"\"\"d\"\"\""])
}

@Test func nestedFStringsAreOneToken() {
    let src = "x = f\"{a['k']} and {f'{b[\"z\"]:>{w}}'} {{lit}}\" + y\n"
    let b = Array(src.utf8)
    let toks = PythonTokenizer().tokenize(bytes: b)
    let strs = toks.filter { $0.kind == .string }
    #expect(strs.count == 1)
    #expect(toks.map { $0.text(in: b) }.contains("y"))
    // Python 3.12 style: same quote inside a replacement field.
    let src2 = "f\"{d[\"key\"]}\" + z\n"
    let b2 = Array(src2.utf8)
    let t2 = PythonTokenizer().tokenize(bytes: b2)
    #expect(t2.first?.kind == .string && t2.first?.text(in: b2) == "f\"{d[\"key\"]}\"")
}

@Test func continuationLinesAndBracketsSuppressNewline() {
    let src = "x = 1 + \\\n    2\ny = (1,\n     2)\n"
    #expect(kinds(src).filter { $0 == .newline }.count == 2)
    #expect(!kinds(src).contains(.indent))
}

@Test func indentationWithTabsAndDedent() {
    let src = "if a:\n\tif b:\n\t\tc()\n\n# comment\n\td()\ne()\n"
    let k = kinds(src)
    #expect(k.filter { $0 == .indent }.count == 2)
    #expect(k.filter { $0 == .dedent }.count == 2)
    let t = texts(src)
    let dIdx = t.firstIndex(of: "d")!
    #expect(k[dIdx - 1] == .dedent)
}

@Test func unterminatedStringsDoNotSwallowTheFile() {
    let src = "x = 'abc\ny = 2\nz = \"\"\"never closed\n"
    let b = Array(src.utf8)
    let toks = PythonTokenizer().tokenize(bytes: b)
    #expect(toks.contains { $0.kind == .error && $0.text(in: b) == "'abc" })
    #expect(toks.contains { $0.text(in: b) == "y" })
    #expect(toks.last?.kind == .endMarker)
}

@Test func commentsAndOperators() {
    let t = texts("a **= b // c # hi\nx := y -> z ... != @=\n", keepComments: true)
    #expect(t.contains("**=") && t.contains("//") && t.contains("# hi") && t.contains(":="))
    #expect(t.contains("->") && t.contains("...") && t.contains("!=") && t.contains("@="))
}

@Test func randomBytesNeverCrash() {
    var rng = SystemRandomNumberGenerator()
    let alphabet: [UInt8] = Array("\"'\\\n\r\t {}[]()fFrRbB#:.=0xe_j".utf8) + [0, 0xFF, 0xC3, 0x80]
    for round in 0..<300 {
        let n = Int.random(in: 0...200, using: &rng)
        let bytes: [UInt8] = (0..<n).map { _ in
            round % 2 == 0 ? UInt8.random(in: 0...255, using: &rng) : alphabet.randomElement(using: &rng)!
        }
        let toks = PythonTokenizer(keepComments: true).tokenize(bytes: bytes)
        #expect(toks.last?.kind == .endMarker)
        #expect(toks.allSatisfy { $0.start <= $0.end && $0.end <= bytes.count })
    }
}
