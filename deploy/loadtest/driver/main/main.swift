// aidevtools-loadtest SCENARIO --key KEY [--url URL] [--duration S] [--connections N] [--out DIR] [--corpus DIR]
// Runs one service's load through the gateway, prints the table, writes <out>/<scenario>.json.
// deploy/loadtest/run is the front (builds this, makes a key, plots the JSON).
import Foundation
import LoadTest

do {
    let options = try LoadOptions.parse(Array(CommandLine.arguments.dropFirst()))
    guard let scenario = ScenarioCatalog.named(options.scenario) else {
        throw LoadTestError.usage("unknown scenario '\(options.scenario)'")
    }
    let result = try await LoadRunner(options: options).run(scenario)
    let path = try LoadRunner.write(result, to: options.outputDirectory)
    print(ResultTable.render(result))
    print("result: \(path)")
} catch let error as LoadTestError {
    FileHandle.standardError.write(Data("aidevtools-loadtest: \(error)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("aidevtools-loadtest: \(error)\n".utf8))
    exit(1)
}
