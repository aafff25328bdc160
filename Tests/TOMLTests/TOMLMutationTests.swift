import Testing
import TestSupport
import TOML

/// Robustness: random byte mutations of the valid cases must each either parse (and then
/// survive the writer) or be refused with a position inside the document; never a crash.
@Suite struct TOMLMutationTests {
    /// Bytes that matter to TOML's grammar, plus bytes that are never valid.
    private static let interesting: [UInt8] = Array(" \t\n\r=[]{}.,\"'#\\0129-+:eE_xobTZtfin".utf8) + [0x00, 0x7F, 0xC3, 0xA9, 0xFF, 0xED]

    @Test func mutatedValidCasesParseOrThrow() throws {
        let suite = try TOMLTestSuite.load()
        var generator = SplitMix(seed: 0x70F1)
        var parsed = 0
        var refused = 0
        var failures: [String] = []
        for testCase in suite.valid where !testCase.bytes.isEmpty {
            for round in 0..<24 {
                let mutated = Self.mutate(testCase.bytes, using: &generator)
                do {
                    let table = try TOMLParser.parse(mutated)
                    parsed += 1
                    let written = TOMLWriter.write(table)
                    if (try? TOMLParser.parse(written)) != table {
                        failures.append("\(testCase.name) mutation \(round): the writer's output does not read back")
                    }
                } catch {
                    refused += 1
                    let lines = mutated.count(where: { $0 == UInt8(ascii: "\n") }) + 1
                    if !(1...lines).contains(error.line) || error.column < 1 {
                        failures.append("\(testCase.name) mutation \(round): \(error) is outside the document")
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(parsed > 0 && refused > 0, "parsed \(parsed), refused \(refused)")
    }

    /// One to three random edits: replace, insert or delete a byte, duplicate or drop a run.
    private static func mutate(_ bytes: [UInt8], using generator: inout SplitMix) -> [UInt8] {
        var result = bytes
        for _ in 0..<(1 + Int(generator.next() % 3)) {
            guard !result.isEmpty else { break }
            let at = Int(generator.next() % UInt64(result.count))
            let byte = generator.next() % 4 == 0 ? UInt8(truncatingIfNeeded: generator.next()) : interesting[Int(generator.next() % UInt64(interesting.count))]
            switch generator.next() % 5 {
            case 0: result[at] = byte
            case 1: result.insert(byte, at: at)
            case 2: result.remove(at: at)
            case 3:
                let end = min(result.count, at + 1 + Int(generator.next() % 16))
                result.insert(contentsOf: result[at..<end], at: end)
            default:
                let end = min(result.count, at + 1 + Int(generator.next() % 8))
                result.removeSubrange(at..<end)
            }
        }
        return result
    }
}
