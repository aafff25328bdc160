@testable import AIBridgeQuery
import Contracts
import Testing

@Suite("the q grammar and Go's time texts")
struct GrammarTests {
    @Test("quoted values, lower-cased keys, first value wins, bare terms joined")
    func terms() throws {
        let terms = try SearchTerms(parsing: #"  Model:"a b:c"  model:x   bare words  initiator:"" "#)
        #expect(terms.keys == ["model", "initiator"])
        #expect(terms.first("model") == "a b:c")
        #expect(terms.values["model"] == ["a b:c", "x"])
        #expect(terms.first("initiator") == nil)
        #expect(terms.bareTerm == "bare words")
        #expect(try SearchTerms(parsing: "").keys.isEmpty)
        #expect(throws: QueryValidationError(field: "q", detail: #"Query element "a:b:c" can only contain 1 ':'"#)) {
            try SearchTerms(parsing: "a:b:c")
        }
    }

    @Test("timestamps: Go's RFC3339Nano rules, microseconds, offsets, errors")
    func timestamps() throws {
        typealias Timestamp = AIBridgeQueryAPI.Timestamp
        let parsed = try Timestamp.parse("2026-03-01T10:00:00.123456789+02:00")
        #expect(parsed.formatted == "2026-03-01T08:00:00.123456Z")
        #expect(try Timestamp.parse("2026-03-01T10:00:00Z").formatted == "2026-03-01T10:00:00Z")
        #expect(try Timestamp.parse("2026-03-01T10:00:00.5Z").formatted == "2026-03-01T10:00:00.5Z")
        #expect(try Timestamp.parse("1969-12-31T23:59:59.999999Z").microseconds == -1)
        #expect(try Timestamp.parse("2024-02-29T00:00:00Z").formatted == "2024-02-29T00:00:00Z")
        let cases: [(String, String)] = [
            ("2026-02-30T00:00:00Z", #"parsing time "2026-02-30T00:00:00Z": day out of range"#),
            ("2026-01-01", #"parsing time "2026-01-01" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "" as "T""#),
            ("2026-01-01T00:00:00", #"parsing time "2026-01-01T00:00:00" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "" as "Z07:00""#),
            ("2026-01-01T00:00:00ZZ", #"parsing time "2026-01-01T00:00:00ZZ": extra text: "Z""#),
            ("2026-01-01T25:00:00Z", #"parsing time "2026-01-01T25:00:00Z": hour out of range"#),
            ("2026/01/01", #"parsing time "2026/01/01" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "/01/01" as "-""#),
        ]
        for (text, message) in cases {
            #expect(throws: Timestamp.ParseError(message: message)) { try Timestamp.parse(text) }
        }
        for micros: Int64 in [0, 1, 999_999, 1_767_225_600_000_001, -86_400_000_000, 253_402_300_799_999_999] {
            let time = Timestamp(microseconds: micros)
            #expect(try Timestamp.parse(time.formatted) == time)
        }
    }

    @Test("Go's strconv.ParseInt texts")
    func integers() {
        #expect(throws: Never.self) { try Pagination.parseInt32("+5").get() }
        if case .failure(let failure) = Pagination.parseInt32("1e3") {
            #expect(failure.text == #"strconv.ParseInt: parsing "1e3": invalid syntax"#)
        } else {
            Issue.record("1e3 parsed")
        }
        if case .failure(let failure) = Pagination.parseInt32("2147483648") {
            #expect(failure.text == #"strconv.ParseInt: parsing "2147483648": value out of range"#)
        } else {
            Issue.record("2147483648 parsed")
        }
    }
}
