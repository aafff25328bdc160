import Testing
import TOML

/// The nesting limit, and documents far larger than a task.toml.
@Suite struct TOMLLimitTests {
    private let limit = TOMLParser.maxNestingDepth

    /// `x = ` and `count` nested arrays around `1`.
    private func nestedArrays(_ count: Int) -> String {
        "x = " + String(repeating: "[", count: count) + "1" + String(repeating: "]", count: count)
    }

    /// `x = ` and `count` nested inline tables.
    private func nestedInlineTables(_ count: Int) -> String {
        "x = " + String(repeating: "{ y = ", count: count) + "1" + String(repeating: " }", count: count)
    }

    @Test func arraysNestUpToTheLimit() throws {
        // The root table is level 1, so a root key's value may open limit - 1 arrays.
        let table = try TOMLParser.parse(nestedArrays(limit - 1))
        var value = try #require(table["x"])
        var depth = 0
        while case .array(let elements) = value {
            depth += 1
            value = elements[0]
        }
        #expect(depth == limit - 1)
        #expect(value == .integer(1))
        #expect(throws: TOMLError.self) { try TOMLParser.parse(nestedArrays(limit)) }
    }

    @Test func inlineTablesNestUpToTheLimit() throws {
        #expect(throws: Never.self) { try TOMLParser.parse(nestedInlineTables(limit - 1)) }
        let error = try #require(throws: TOMLError.self) { try TOMLParser.parse(nestedInlineTables(limit)) }
        #expect(error.message.contains("nested deeper than \(limit) levels"))
    }

    @Test func keysAndHeadersCountTowardsTheLimit() throws {
        let path = { (count: Int) in (0..<count).map { "k\($0)" }.joined(separator: ".") }
        #expect(throws: Never.self) { try TOMLParser.parse("[\(path(limit - 1))]\nv = 1\n") }
        #expect(throws: TOMLError.self) { try TOMLParser.parse("[\(path(limit))]\n") }
        // A dotted key of n segments at the root makes tables at levels 2…n (its last segment is the value).
        #expect(throws: Never.self) { try TOMLParser.parse("\(path(limit)) = 1\n") }
        #expect(throws: TOMLError.self) { try TOMLParser.parse("\(path(limit + 1)) = 1\n") }
        #expect(throws: TOMLError.self) { try TOMLParser.parse("[\(path(limit / 2))]\n\(path(limit / 2 + 1)) = 1\n") }
    }

    @Test func farTooDeepInputIsRefusedWithoutExhaustingTheStack() {
        #expect(throws: TOMLError.self) { try TOMLParser.parse(nestedArrays(200_000)) }
        #expect(throws: TOMLError.self) { try TOMLParser.parse(nestedInlineTables(200_000)) }
        #expect(throws: TOMLError.self) { try TOMLParser.parse("x = " + String(repeating: "[", count: 500_000)) }
    }

    @Test func largeDocumentsReadWhole() throws {
        let elements = 20_000
        var text = "title = \"" + String(repeating: "ab", count: 500_000) + "\"\n"
        for index in 0..<elements { text += "[[item]]\nindex = \(index)\nname.first = \"n\(index)\"\n" }
        for index in 0..<elements { text += "[table.k\(index)]\n" }
        let table = try TOMLParser.parse(text)
        #expect(table["title"]?.string?.utf8.count == 1_000_000)
        let items = try #require(table["item"]?.array)
        #expect(items.count == elements)
        #expect(items.last?.table?["index"] == .integer(Int64(elements - 1)))
        #expect(items.last?.table?[path: ["name", "first"]] == .string("n\(elements - 1)"))
        #expect(table["table"]?.table?.count == elements)
        #expect(try TOMLParser.parse(TOMLWriter.write(table)) == table)
    }
}
