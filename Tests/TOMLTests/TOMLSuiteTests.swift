import Testing
import TOML

/// toml-test's TOML 1.0.0 cases: every valid one parses to its expected document (and
/// survives a trip through the writer), every invalid one is refused with a position
/// inside the document. Failures are listed by case name.
@Suite struct TOMLSuiteTests {
    @Test func everyValidCaseParsesToItsExpectedDocument() throws {
        let suite = try TOMLTestSuite.load()
        #expect(!suite.valid.isEmpty)
        var failures: [String] = []
        for testCase in suite.valid {
            do {
                let table = try TOMLParser.parse(testCase.bytes)
                if let difference = TaggedJSON.difference(.table(table), testCase.expected!) {
                    failures.append("\(testCase.name): \(difference)")
                }
            } catch {
                failures.append("\(testCase.name): refused: \(error)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(suite.valid.count) valid cases failed:\n\(failures.joined(separator: "\n"))")
    }

    @Test func everyInvalidCaseIsRefusedWithAPositionInTheDocument() throws {
        let suite = try TOMLTestSuite.load()
        #expect(!suite.invalid.isEmpty)
        var failures: [String] = []
        for testCase in suite.invalid {
            do {
                let table = try TOMLParser.parse(testCase.bytes)
                failures.append("\(testCase.name): accepted as \(TOMLWriter.write(table).prefix(200))")
            } catch {
                let lines = testCase.bytes.count(where: { $0 == UInt8(ascii: "\n") }) + 1
                if !(1...lines).contains(error.line) || error.column < 1 || error.message.isEmpty {
                    failures.append("\(testCase.name): error outside the document: \(error)")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(suite.invalid.count) invalid cases were not refused properly:\n\(failures.joined(separator: "\n"))")
    }

    @Test func everyValidCaseSurvivesTheWriter() throws {
        let suite = try TOMLTestSuite.load()
        var failures: [String] = []
        for testCase in suite.valid {
            guard let table = try? TOMLParser.parse(testCase.bytes) else { continue }  // reported above
            let written = TOMLWriter.write(table)
            do {
                let reread = try TOMLParser.parse(written)
                if reread != table { failures.append("\(testCase.name): differs after writing:\n\(written)") }
            } catch {
                failures.append("\(testCase.name): the written document is refused: \(error)\n\(written)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(suite.valid.count) valid cases failed the round trip:\n\(failures.joined(separator: "\n"))")
    }

    @Test func theStringFormAgreesWithTheByteForm() throws {
        let suite = try TOMLTestSuite.load()
        var failures: [String] = []
        for testCase in suite.valid {
            guard let fromBytes = try? TOMLParser.parse(testCase.bytes) else { continue }
            let fromString = try? TOMLParser.parse(String(decoding: testCase.bytes, as: UTF8.self))
            if fromString != fromBytes { failures.append(testCase.name) }
        }
        #expect(failures.isEmpty, "differ: \(failures)")
    }
}
