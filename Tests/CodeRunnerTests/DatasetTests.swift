import Contracts
import Foundation
import ServiceKit
import Testing
@testable import CodeRunner

/// `/upload_dataframe` and `/reset-session`: encodings, what is not a table, the size
/// limit, and datasets surviving a restart.
@Suite(.serialized) struct DatasetTests {
    @Test func uploadReplacesTheDatasetAndResetGoesBack() async throws {
        let service = try await CodeRunnerFixture.start()
        defer { Task { await service.close() } }
        _ = try await service.execute("before = 1")
        let upload = await service.upload(Array("city,temp\nOslo,3.5\nLima,19.0\nCairo,25.1\n".utf8), name: "weather",
                                          description: "three cities")
        #expect(upload.status == 200, "\(upload.text)")
        let info = try upload.json(CodeRunnerAPI.DatasetResponse.self)
        #expect(info == CodeRunnerAPI.DatasetResponse(message: "Dataframe uploaded successfully", sessionID: "~alice", name: "weather",
                                                      description: "three cities", rows: 3, columns: ["city", "temp"]))
        let after = try await service.execute("print(df.shape, df.temp.max(), 'before' in globals())")
        #expect(after.output.contains("(3, 2) 25.1 False"))
        let reset = await service.app.call(.POST, "/reset-session", identity: CodeRunnerFixture.alice)
        #expect(reset.status == 200)
        #expect(try reset.json(CodeRunnerAPI.DatasetResponse.self).name == SampleDataset.name)
        let columns = SampleDataset.columns.map { "'\($0)'" }.joined(separator: ", ")
        let sample = try await service.execute("print(df.shape, list(df.columns) == [\(columns)])")
        #expect(sample.output.contains("(\(SampleDataset.rows), \(SampleDataset.columns.count)) True"))
    }

    @Test func latinOneFilesAreReadAndNonTablesRefused() async throws {
        let service = try await CodeRunnerFixture.start()
        defer { Task { await service.close() } }
        // "café" in Latin-1: 0xE9 is not UTF-8 on its own.
        let latin: [UInt8] = Array("name,price\ncaf".utf8) + [0xE9] + Array(",2.5\n".utf8)
        let upload = await service.upload(latin, session: "latin")
        #expect(upload.status == 200, "\(upload.text)")
        let read = try await service.execute("print(df.name[0] == 'caf\\u00e9')", session: "latin")
        #expect(read.output.contains("True"))
        let ragged = await service.upload(Array("a,b\n1,2\n3,4,5,6\n".utf8), session: "latin")
        #expect(ragged.status == 400)
        #expect(ragged.text.contains("not a table"))
        let empty = await service.upload([], session: "latin")
        #expect(empty.status == 400)
        let blankLines = await service.upload(Array("\n\n\n".utf8), session: "latin")
        #expect(blankLines.status == 400)
        // The dataset is still the one that was uploaded.
        let still = try await service.execute("print(len(df))", session: "latin")
        #expect(still.output.contains("1"))
    }

    @Test func uploadLimitsAndFormMistakes() async throws {
        let service = try await CodeRunnerFixture.start { $0.maxUploadBytes = 4096 }
        defer { Task { await service.close() } }
        var big = Array("n\n".utf8)
        for index in 0..<2000 { big.append(contentsOf: Array("\(index)\n".utf8)) }
        let tooBig = await service.upload(big)
        #expect(tooBig.status == 413)
        #expect(tooBig.text.contains("\"detail\""))
        let json = await service.post("/upload_dataframe", json: ["file": "a,b"])
        #expect(json.status == 415)
        let boundary = "b0undary"
        let noFile = await service.app.call(.POST, "/upload_dataframe", identity: CodeRunnerFixture.alice,
                                            headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"],
                                            body: Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nx\r\n--\(boundary)--\r\n".utf8))
        #expect(noFile.status == 400)
        #expect(noFile.text.contains("file"))
    }

    @Test func datasetsAndCodeSurviveARestart() async throws {
        let first = try await CodeRunnerFixture.start()
        let data = first.options.dataDirectory
        let upload = await first.upload(Array("k,v\nx,1\ny,2\n".utf8), session: "kept")
        #expect(upload.status == 200)
        _ = try await first.execute("print('stored')", session: "kept", messageID: 99)
        await first.work.stop()
        await first.pool.shutdown()
        let second = try await CodeRunnerFixture.start(dataDirectory: data)
        defer { Task { await second.close(); await first.close() } }
        let read = try await second.execute("print(df.v.sum(), list(df.k))", session: "kept")
        #expect(read.output.contains("3 ['x', 'y']"))
        let code = await second.post("/code/get-latest-code", json: CodeRunnerAPI.LatestCodeRequest(messageID: 99))
        #expect(code.text.contains("stored"))
        let stolen = await second.post("/code/execute", as: CodeRunnerFixture.bob, json: CodeRunnerAPI.ExecuteRequest(code: "1", sessionID: "kept"))
        #expect(stolen.status == 404)
    }
}
