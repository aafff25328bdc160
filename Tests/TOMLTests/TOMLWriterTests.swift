import Testing
import TOML

/// The writer: what it writes reads back to an equal table, for the awkward values too.
@Suite struct TOMLWriterTests {
    private func roundTrip(_ table: TOMLTable) throws -> String {
        let written = TOMLWriter.write(table)
        let reread = try TOMLParser.parse(written)
        #expect(reread == table, "\(written)")
        return written
    }

    @Test func keysAreBareOnlyWhereTOMLAllows() throws {
        let table = TOMLTable([
            (key: "plain_key-1", value: .integer(1)),
            (key: "", value: .integer(2)),
            (key: "a b", value: .integer(3)),
            (key: "a.b", value: .integer(4)),
            (key: "ü", value: .integer(5)),
            (key: "quote\"back\\slash", value: .integer(6)),
        ])
        let written = try roundTrip(table)
        #expect(written.contains("plain_key-1 = 1\n"))
        #expect(written.contains("\"\" = 2\n"))
        #expect(written.contains("\"a.b\" = 4\n"))
        #expect(written.contains("\"quote\\\"back\\\\slash\" = 6\n"))
    }

    @Test func stringsWithEveryControlCharacterReadBack() throws {
        let controls = String(String.UnicodeScalarView((0...0x1F).compactMap(Unicode.Scalar.init) + [Unicode.Scalar(0x7F)]))
        let table = TOMLTable([
            (key: "controls", value: .string(controls)),
            (key: "quotes", value: .string("\"\"\" ''' \\ \\u0041")),
            (key: "unicode", value: .string("é 中文 😀 \u{10FFFF}")),
            (key: "empty", value: .string("")),
        ])
        let written = try roundTrip(table)
        #expect(!written.utf8.contains { $0 < 0x20 && $0 != UInt8(ascii: "\n") })
    }

    @Test func numbersReadBackExactly() throws {
        let floats: [Double] = [0, -0.0, 0.1, 1e300, -1e-300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e16, 123456789.125, .infinity, -.infinity, .nan]
        var entries: [(key: String, value: TOMLValue)] = floats.enumerated().map { (key: "f\($0.offset)", value: .float($0.element)) }
        entries += [(key: "min", value: .integer(.min)), (key: "max", value: .integer(.max)), (key: "zero", value: .integer(0))]
        let table = TOMLTable(entries)
        _ = try roundTrip(table)
        let reread = try TOMLParser.parse(TOMLWriter.write(table))
        #expect(reread["f1"]?.float?.sign == .minus)
        #expect(reread["f11"]?.float?.isNaN == true)
    }

    @Test func dateTimesKeepTheirParts() throws {
        let date = TOMLDate(year: 1979, month: 5, day: 27)
        let time = TOMLTime(hour: 7, minute: 32, second: 0, fraction: "999999999999")
        let table = TOMLTable([
            (key: "odt", value: .offsetDateTime(TOMLDateTime(date: date, time: time, offset: .minutes(-330)))),
            (key: "utc", value: .offsetDateTime(TOMLDateTime(date: date, time: TOMLTime(hour: 23, minute: 59, second: 60), offset: .utc))),
            (key: "ldt", value: .localDateTime(TOMLDateTime(date: date, time: time))),
            (key: "ld", value: .localDate(TOMLDateTime(date: date))),
            (key: "lt", value: .localTime(TOMLDateTime(time: time))),
        ])
        let written = try roundTrip(table)
        #expect(written.contains("odt = 1979-05-27T07:32:00.999999999999-05:30\n"))
        #expect(written.contains("utc = 1979-05-27T23:59:60Z\n"))
        #expect(written.contains("ld = 1979-05-27\n"))
        #expect(written.contains("lt = 07:32:00.999999999999\n"))
        #expect(time.nanosecond == 999_999_999)
    }

    @Test func nestedTablesAndArraysOfTablesReadBack() throws {
        let inner = TOMLTable([(key: "x", value: .integer(1)), (key: "deeper", value: .table(TOMLTable([(key: "y", value: .boolean(true))])))])
        let element = TOMLTable([
            (key: "name", value: .string("one")),
            (key: "sub", value: .table(inner)),
            (key: "more", value: .array([.table(inner), .table(TOMLTable())])),
        ])
        let table = TOMLTable([
            (key: "items", value: .array([.table(element), .table(TOMLTable()), .table(element)])),
            (key: "mixed", value: .array([.integer(1), .table(inner), .array([]), .string("s")])),
            (key: "emptyArray", value: .array([])),
            (key: "emptyTable", value: .table(TOMLTable())),
            (key: "after", value: .string("a plain key after the tables")),
            (key: "with space", value: .table(TOMLTable([(key: "k", value: .table(inner))]))),
        ])
        let written = try roundTrip(table)
        #expect(written.hasPrefix("mixed = [1, { x = 1, deeper = { y = true } }, [], \"s\"]\n"))
        #expect(written.contains("[[items]]\n"))
        #expect(written.contains("[\"with space\".k.deeper]\n"))
    }

    @Test func tableKeepsDocumentOrderAndEditsInPlace() throws {
        var table = try TOMLParser.parse("b = 1\na = 2\n[c]\nz = 3\n[c.d]\ny = 4\n")
        #expect(table.keys == ["b", "a", "c"])
        #expect(table[path: ["c", "d", "y"]] == .integer(4))
        #expect(table[path: ["c", "z", "y"]] == nil)
        table["a"] = .string("two")
        table["new"] = .boolean(false)
        table["b"] = nil
        #expect(table.keys == ["a", "c", "new"])
        #expect(table["a"] == .string("two"))
        #expect(table.entries.map(\.key) == table.keys)
        let reordered = TOMLTable(table.entries.reversed())
        #expect(reordered == table)
        #expect(reordered.keys != table.keys)
    }
}
