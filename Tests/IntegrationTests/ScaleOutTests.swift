import Contracts
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HTTPCore
import JSON
import Testing
import TestSupport

/// Issue 15's integration test: two gateways and two replicas of every service on one
/// PostgreSQL database (`ScaleOutSystem`; gateway `i` uses replica `i` of every service).
/// A session or a revocation made on one gateway holds on the other; bridge calls recorded
/// by both bridges are listed alike through either gateway; a task made through one
/// task-manager is read, changed and exported through the other; an upload to one predictor
/// personalises the other's predictions; a dataset uploaded to one code-runner is used by
/// the other's kernel; and `kill -9` of a task-manager during concurrent creates loses no
/// acknowledged create while the other keeps serving. One system, started once, serves
/// every scenario (the kill last).
@Suite("scale-out: two of everything on one PostgreSQL (real binaries)", .serialized)
struct ScaleOutTests {
    typealias TaskAPI = TaskManagerAPI
    static var python: String { ProcessInfo.processInfo.environment["TEST_PYTHON"] ?? "deploy/.venv/bin/python" }

    @Test func replicasOnOneDatabaseServeEachOthersState() async throws {
        let clock = ContinuousClock()
        let startedAt = clock.now
        let system = try await ScaleOutSystem.start()
        print("scale-out: 10 service replicas and 2 gateways up in \(clock.now - startedAt)")
        let scenarios: [(name: String, run: (ScaleOutSystem) async throws -> Void)] = [
            ("session made on gateway 0 used on gateway 1", Self.sessionMadeOnOneGatewayWorksOnTheOther),
            ("revocation through gateway 0 refused by gateway 1", Self.revocationThroughOneGatewayReachesTheOther),
            ("bridge calls recorded by two replicas, queried alike", Self.bridgeCallsRecordedByBothReplicasAreQueriedAlike),
            ("task made through one replica, exported through the other", Self.taskMadeThroughOneReplicaIsExportedThroughTheOther),
            ("job on one task-manager followed on the other", Self.progressOfAJobOnOneReplicaReachesAFollowerOnTheOther),
            ("upload to one predictor personalises the other", Self.uploadToOnePredictorPersonalisesTheOther),
            ("dataset uploaded to one code-runner used by the other", Self.datasetUploadedToOneCodeRunnerIsUsedByTheOther),
            ("problem made on one orchestrator listed by the other", Self.problemMadeOnOneOrchestratorIsListedByTheOther),
            ("every replica served its gateway's requests", Self.everyReplicaServedItsGatewaysRequests),
            ("kill -9 of a task-manager during creates", Self.killedTaskManagerLosesNoAcknowledgedCreate),
        ]
        for scenario in scenarios {
            let scenarioStart = clock.now
            do {
                try await scenario.run(system)
            } catch {
                Issue.record("\(scenario.name): \(error)\n\(system.logTails())")
            }
            print("scale-out: \(scenario.name): \(clock.now - scenarioStart)")
        }
        let endings = await system.stop()
        // Every replica but the killed one stops cleanly on SIGTERM.
        for (replica, ending) in endings {
            #expect(ending == (replica == "task-manager-0" ? SIGKILL : 0), "\(replica) ended with \(ending)")
        }
        print("scale-out: whole suite \(clock.now - startedAt)")
    }

    // MARK: - Gateways

    /// A session from gateway 0 authenticates a proxied request on gateway 1 at once, and
    /// one from gateway 1 on gateway 0; an unknown session is refused.
    static func sessionMadeOnOneGatewayWorksOnTheOther(_ system: ScaleOutSystem) async throws {
        let ada = try await system.gateways.user("ada", roles: ["user"], through: 0)
        let first = try await system.session(through: 0, key: ada.key)
        let onOther = try await system.request(.GET, through: 1, "/api/tasks", headers: ["Session-ID": first])
        #expect(onOther.status == 200, "\(onOther.text)")
        #expect((try? onOther.json(TaskAPI.TaskList.self)) != nil, "\(onOther.text)")
        #expect(try await system.request(.GET, through: 0, "/api/tasks", headers: ["Session-ID": first]).status == 200)
        let second = try await system.session(through: 1, key: ada.key)
        #expect(second != first)
        #expect(try await system.request(.GET, through: 0, "/api/tasks", headers: ["Session-ID": second]).status == 200)
        #expect(try await system.request(.GET, through: 1, "/api/tasks", headers: ["Session-ID": "not-a-session"]).status == 403)
    }

    /// A key accepted (and cached for an hour) by gateway 1 is refused there once gateway 0's
    /// `/admin` revoked it, and so is the session made with it; the refusal's delay is printed.
    static func revocationThroughOneGatewayReachesTheOther(_ system: ScaleOutSystem) async throws {
        let leaver = try await system.gateways.user("leaver", roles: ["user"], through: 1)
        let session = try await system.session(through: 1, key: leaver.key)
        for gateway in 0..<2 {
            #expect(try await system.request(.GET, through: gateway, "/api/tasks", headers: ["API-Key": leaver.key]).status == 200)
            #expect(try await system.request(.GET, through: gateway, "/api/tasks", headers: ["Session-ID": session]).status == 200)
        }
        let revoked = try await system.request(.POST, through: 0, "/admin/keys/\(leaver.id)/revoke",
                                               headers: ["API-Key": system.gateways.adminKey])
        let answered = ContinuousClock.now
        #expect(revoked.status == 200, "\(revoked.text)")
        // The hang guard is a minute; the delay measured is printed (issue 15's target: 1 s).
        let refused = await eventually(timeout: .seconds(60), polling: .milliseconds(2)) {
            (try? await system.request(.GET, through: 1, "/api/tasks", headers: ["API-Key": leaver.key]))?.status == 403
        }
        let delay = ContinuousClock.now - answered
        #expect(refused)
        print("scale-out: key revoked through gateway 0 refused by gateway 1 \(delay) after gateway 0 answered")
        #expect(try await system.request(.GET, through: 1, "/api/tasks", headers: ["Session-ID": session]).status == 403)
        #expect(try await system.request(.GET, through: 0, "/api/tasks", headers: ["API-Key": leaver.key]).status == 403)
        #expect(try await system.request(.GET, through: 1, "/api/tasks", headers: ["API-Key": system.gateways.adminKey]).status == 200)
    }

    // MARK: - aibridge-query

    /// An OpenAI call through gateway 0 (bridge replica 0) and an Anthropic call through
    /// gateway 1 (replica 1) in one client session: both gateways list both interceptions and
    /// the one session, with the same answer, and an admin finds the user by name on either.
    static func bridgeCallsRecordedByBothReplicasAreQueriedAlike(_ system: ScaleOutSystem) async throws {
        let caller = try await system.gateways.user("llm-user", roles: ["user"], through: 0)
        let sessions = [try await system.session(through: 0, key: caller.key), try await system.session(through: 1, key: caller.key)]
        let conversation = "scale-conversation-1"
        let openAI = try await system.request(.POST, through: 0, "/api/v2/aibridge/openai/v1/chat/completions",
                                              headers: ["Session-ID": sessions[0], "X-AIBridge-Session-Id": conversation],
                                              body: Array(#"{"model":"gpt-test","messages":[{"role":"user","content":"hello through gateway 0"}]}"#.utf8))
        #expect(openAI.status == 200, "\(openAI.text)")
        let anthropic = try await system.request(.POST, through: 1, "/api/v2/aibridge/anthropic/v1/messages",
                                                 headers: ["Session-ID": sessions[1], "X-AIBridge-Session-Id": conversation,
                                                           "anthropic-version": "2023-06-01"],
                                                 body: Array(#"{"model":"claude-test","max_tokens":16,"messages":[{"role":"user","content":"hello through gateway 1"}]}"#.utf8))
        #expect(anthropic.status == 200, "\(anthropic.text)")
        let responseIDs = Set([openAI, anthropic].compactMap { $0.object?["id"] as? String })
        #expect(responseIDs.count == 2, "\(openAI.text) \(anthropic.text)")

        func interceptions(through gateway: Int, headers: HTTPHeaders, query: String = "") async throws -> AIBridgeQueryAPI.ListInterceptionsResponse {
            let response = try await system.request(.GET, through: gateway, "/api/v2/aibridge/interceptions?limit=100" + query, headers: headers)
            guard response.status == 200 else { throw HarnessError(message: "interceptions through gateway \(gateway): \(response.status) \(response.text)") }
            return try response.json(AIBridgeQueryAPI.ListInterceptionsResponse.self)
        }
        // Both calls are recorded by their own replica; once both are, both gateways agree.
        let recorded = try await eventually(timeout: .seconds(60), polling: .milliseconds(20)) {
            let listed = try await interceptions(through: 0, headers: ["Session-ID": sessions[0]])
            return listed.count == 2 && listed.results.allSatisfy { $0.endedAt != nil && !$0.tokenUsages.isEmpty }
        }
        try #require(recorded, "both calls recorded and ended")
        let listings = [try await interceptions(through: 0, headers: ["Session-ID": sessions[0]]),
                        try await interceptions(through: 1, headers: ["Session-ID": sessions[1]])]
        #expect(listings[0] == listings[1])
        let listing = listings[1]
        #expect(listing.count == 2)
        #expect(Set(listing.results.map(\.provider)) == ["openai", "anthropic"])
        #expect(Set(listing.results.flatMap { $0.tokenUsages.map(\.providerResponseID) }) == responseIDs)
        #expect(Set(listing.results.flatMap { $0.userPrompts.map(\.prompt) }) == ["hello through gateway 0", "hello through gateway 1"])
        #expect(listing.results.allSatisfy { $0.initiator.username == "llm-user" })

        var sessionListings: [AIBridgeQueryAPI.ListSessionsResponse] = []
        for gateway in 0..<2 {
            let response = try await system.request(.GET, through: gateway, "/api/v2/aibridge/sessions", headers: ["Session-ID": sessions[gateway]])
            #expect(response.status == 200, "\(response.text)")
            sessionListings.append(try response.json(AIBridgeQueryAPI.ListSessionsResponse.self))
        }
        #expect(sessionListings[0] == sessionListings[1])
        let session = try #require(sessionListings[0].sessions.first)
        #expect(sessionListings[0].count == 1)
        #expect(session.id == conversation)
        #expect(session.providers == ["anthropic", "openai"])
        #expect(session.threads == 2)

        // The admin finds the user by name through either gateway (the name was learnt by
        // whichever replica saw it first, in the shared table).
        let admin: HTTPHeaders = ["API-Key": system.gateways.adminKey]
        let byName = [try await interceptions(through: 0, headers: admin, query: "&q=initiator:llm-user"),
                      try await interceptions(through: 1, headers: admin, query: "&q=initiator:llm-user")]
        #expect(byName[0] == byName[1])
        #expect(byName[0] == listing)
    }

    // MARK: - task-manager

    /// A task made through gateway 0 (task-manager replica 0) is read, changed and exported
    /// through gateway 1 (replica 1); replica 0 reads replica 1's change; the ZIP holds the
    /// task's files (Python's `zipfile`, every CRC checked).
    static func taskMadeThroughOneReplicaIsExportedThroughTheOther(_ system: ScaleOutSystem) async throws {
        #expect(FileManager.default.isExecutableFile(atPath: python), "run deploy/test, which provisions \(python)")
        let owner = try await system.gateways.user("tasker", roles: ["user"], through: 0)
        let headers: [HTTPHeaders] = [["Session-ID": try await system.session(through: 0, key: owner.key)],
                                      ["Session-ID": try await system.session(through: 1, key: owner.key)]]
        let files = ["solution/solve.sh": "echo replica zero\n", "tests/data/größe.txt": "ümlaut ✓\n"]
        let created = try await system.request(.POST, through: 0, "/api/tasks", headers: headers[0],
                                               body: try JSONWriter.encode(TaskAPI.CreateTaskRequest(name: "Scale-out task", description: "made through gateway 0",
                                                                                                      files: files)))
        #expect(created.status == 200, "\(created.text)")
        let task = try created.json(TaskAPI.TaskSummary.self)

        let read = try await system.request(.GET, through: 1, "/api/tasks/\(task.id)", headers: headers[1])
        #expect(read.status == 200, "\(read.text)")
        let detail = try read.json(TaskAPI.TaskDetail.self)
        #expect(detail.name == "Scale-out task")
        #expect(files.allSatisfy { detail.files[$0.key] == $0.value }, "\(detail.files.keys.sorted())")
        let listed = try await system.request(.GET, through: 1, "/api/tasks?search=scale-out", headers: headers[1])
        #expect(try listed.json(TaskAPI.TaskList.self).tasks.map(\.id) == [task.id])

        let update = TaskAPI.UpdateTaskRequest(status: .ready, files: ["solution/solve.sh": "echo replica one\n"])
        let updated = try await system.request(.PUT, through: 1, "/api/tasks/\(task.id)", headers: headers[1], body: try JSONWriter.encode(update))
        #expect(updated.status == 200, "\(updated.text)")
        let reread = try await system.request(.GET, through: 0, "/api/tasks/\(task.id)", headers: headers[0]).json(TaskAPI.TaskDetail.self)
        #expect(reread.status == .ready)
        #expect(reread.files["solution/solve.sh"] == "echo replica one\n")

        let exported = try await system.request(.GET, through: 1, "/api/tasks/\(task.id)/export", headers: headers[1])
        #expect(exported.status == 200)
        #expect(exported.headers["Content-Type"] == "application/zip")
        #expect(exported.headers["Content-Disposition"] == "attachment; filename=\"task-\(task.id).zip\"")
        let archive = system.dataRoot.appendingPathComponent("export-\(task.id).zip")
        try Data(exported.body).write(to: archive)
        let script = """
            import json, sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None, "bad CRC"
            print(json.dumps({i.filename: z.read(i).decode("utf-8") for i in z.infolist()}))
            """
        let unpacked = try await TestSupport.run(URL(fileURLWithPath: python), arguments: ["-c", script, archive.path], includingStandardError: true)
        #expect(unpacked.status == 0, "\(unpacked.output)")
        #expect(try JSONDecoder().decode([String: String].self, from: Data(unpacked.output.utf8)) == reread.files)
    }

    /// A job started through gateway 0 (task-manager replica 0: an SFT generation through
    /// bridge replica 0) is followed on `/ws` through gateway 1 (replica 1) by Python's
    /// `websockets`: its progress, announced on the database, reaches the follower up to its end.
    static func progressOfAJobOnOneReplicaReachesAFollowerOnTheOther(_ system: ScaleOutSystem) async throws {
        let owner = try await system.gateways.user("follower", roles: ["user"], through: 0)
        let sessions = [try await system.session(through: 0, key: owner.key), try await system.session(through: 1, key: owner.key)]
        let jobID = "scale-job-1"
        let follower = Task {
            try await TestSupport.run(URL(fileURLWithPath: python), arguments: [
                TLSTestServer.repositoryRoot.appendingPathComponent("deploy/checks/progress_check.py").path,
                "ws://127.0.0.1:\(system.gateways.ports[1])/ws?jobId=\(jobID)&session_id=\(sessions[1])"], includingStandardError: true)
        }
        let request = TaskAPI.SFTGenerateRequest(content: "Qubits.", config: TaskAPI.SFTConfig(apiKey: "sk-scale", model: "gpt-test", suggestionsCount: 1),
                                                 jobId: jobID)
        let job = try await system.request(.POST, through: 0, "/api/sft/generate", headers: ["Session-ID": sessions[0]], body: try JSONWriter.encode(request))
        #expect(job.status != 500, "\(job.text)")
        let followed = try await follower.value
        #expect(followed.status == 0, "\(followed.output)")
        let messages = followed.output.split(separator: "\n").compactMap { try? StrictJSONDecoder().decode(TaskAPI.ProgressMessage.self, from: Array($0.utf8)) }
        #expect(!messages.isEmpty && messages.allSatisfy { $0.jobId == jobID }, "\(followed.output)")
        #expect(messages.last.map { $0.stage == "done" || $0.stage.hasPrefix("failed") } == true, "\(followed.output)")
    }

    // MARK: - predictor and code-runner

    /// Predictor replica 1 has looked for pia's personal model (none) when replica 0 takes
    /// her upload: her next prediction through gateway 1 uses it, paul's does not; a second
    /// upload through gateway 1 adds to the model replica 0 then predicts with; uploads
    /// through both at once are all kept.
    static func uploadToOnePredictorPersonalisesTheOther(_ system: ScaleOutSystem) async throws {
        let pia = try await system.gateways.user("pia", roles: ["user"], through: 0)
        let paul = try await system.gateways.user("paul", roles: ["user"], through: 0)
        let piaOn = [PredictorGatewayTests.Client(port: system.gateways.ports[0], session: try await system.session(through: 0, key: pia.key)),
                     PredictorGatewayTests.Client(port: system.gateways.ports[1], session: try await system.session(through: 1, key: pia.key))]
        let paulOnOne = PredictorGatewayTests.Client(port: system.gateways.ports[1], session: try await system.session(through: 1, key: paul.key))
        let frob = "import os\n\nresult = frob<cursor>\n"
        let before = try await piaOn[1].predictions(frob)
        #expect(!before.contains { $0.contains("frobnicate") }, "\(before)")

        let uploaded = try await piaOn[0].upload("proj", ["pkg/widgets.py": PredictorGatewayTests.unusual])
        #expect(uploaded.status == 200, "\(uploaded.body)")
        let after = try await piaOn[1].predictions(frob)
        #expect(after.first?.hasPrefix("frobnicate_quaternion_widget") == true, "\(after)")
        let others = try await paulOnOne.predictions(frob)
        #expect(!others.contains { $0.contains("frobnicate") }, "\(others)")

        let gadget = "def zanzibar_helix_gadget(value):\n    return value\n\nzanzibar_helix_gadget(1)\nzanzibar_helix_gadget(2)\n"
        let second = try await piaOn[1].upload("other", ["gadget.py": gadget])
        #expect(second.status == 200, "\(second.body)")
        let onZero = try await piaOn[0].predictions("import os\n\nresult = zanz<cursor>\n")
        #expect(onZero.first?.hasPrefix("zanzibar_helix_gadget") == true, "\(onZero)")
        let kept = try await piaOn[0].predictions(frob)
        #expect(kept.first?.hasPrefix("frobnicate_quaternion_widget") == true, "\(kept)")

        // Eight uploads of hers at once, alternating gateways: every one is in the model both use.
        let markers = (0..<8).map { "concurrent_\($0)_marker" }
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for (index, marker) in markers.enumerated() {
                group.addTask {
                    let source = "def \(marker)(value):\n    return value\n\n\(marker)(1)\n\(marker)(2)\n"
                    return try await piaOn[index % 2].upload("concurrent", ["m\(index).py": source]).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: markers.count))
        for client in piaOn {
            for marker in markers {
                let found = try await client.predictions("import os\n\nresult = \(marker.prefix(14))<cursor>\n")
                #expect(found.first?.hasPrefix(marker) == true, "\(marker) through port \(client.port): \(found)")
            }
        }
    }

    /// A session's kernel on code-runner replica 1 runs the sample dataset; a CSV uploaded
    /// to the session through gateway 0 replaces it there (the change is announced on the
    /// database); the latest code stored by one replica is read through the other, and
    /// another user cannot use the session on either.
    static func datasetUploadedToOneCodeRunnerIsUsedByTheOther(_ system: ScaleOutSystem) async throws {
        let cora = try await system.gateways.user("cora", roles: ["user"], through: 0)
        let carl = try await system.gateways.user("carl", roles: ["user"], through: 0)
        let coraOn: [HTTPHeaders] = [["Session-ID": try await system.session(through: 0, key: cora.key)],
                                     ["Session-ID": try await system.session(through: 1, key: cora.key)]]
        let analysis = "scale-analysis"
        func execute(_ code: String, through gateway: Int, as headers: HTTPHeaders, messageID: Int? = nil) async throws -> TestResponse {
            try await system.request(.POST, through: gateway, "/code/execute", headers: headers,
                                     body: try JSONWriter.encode(CodeRunnerAPI.ExecuteRequest(code: code, sessionID: analysis, messageID: messageID)))
        }
        let sample = try await execute("print(len(df))", through: 1, as: coraOn[1])
        #expect(sample.status == 200, "\(sample.text)")
        #expect(try sample.json(CodeRunnerAPI.ExecuteResponse.self).output.contains("240"), "\(sample.text)")

        let boundary = "scale-boundary"
        let multipart = "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"pets.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            + "pet,legs\ncat,4\nbird,2\n\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\npets\r\n--\(boundary)--\r\n"
        var uploadHeaders = coraOn[0]
        uploadHeaders.set("X-Session-ID", analysis)
        uploadHeaders.set("Content-Type", "multipart/form-data; boundary=\(boundary)")
        let upload = try await system.request(.POST, through: 0, "/upload_dataframe", headers: uploadHeaders, body: Array(multipart.utf8))
        #expect(upload.status == 200, "\(upload.text)")
        #expect(try upload.json(CodeRunnerAPI.DatasetResponse.self).name == "pets")
        // Replica 1's kernel is stopped when the change reaches it; its next one loads the CSV.
        let legs = try await eventually(timeout: .seconds(60), polling: .milliseconds(50)) {
            let run = try await execute("print(df['legs'].sum())", through: 1, as: coraOn[1])
            return run.status == 200 && (try? run.json(CodeRunnerAPI.ExecuteResponse.self))?.output.contains("6") == true
        }
        #expect(legs, "replica 1 runs the dataset uploaded through replica 0")

        let code = "# scale-out code\nprint(2 + 2)"
        let stored = try await execute(code, through: 0, as: coraOn[0], messageID: 7)
        #expect(stored.status == 200, "\(stored.text)")
        let latest = try await system.request(.POST, through: 1, "/code/get-latest-code", headers: coraOn[1],
                                              body: try JSONWriter.encode(CodeRunnerAPI.LatestCodeRequest(messageID: 7)))
        #expect(latest.status == 200, "\(latest.text)")
        #expect((try? latest.json(CodeRunnerAPI.LatestCodeResponse.self))?.code == code, "\(latest.text)")

        for gateway in 0..<2 {
            let carlHere: HTTPHeaders = ["Session-ID": try await system.session(through: gateway, key: carl.key)]
            let stolen = try await execute("print(df)", through: gateway, as: carlHere)
            #expect(stolen.status == 404, "\(stolen.text)")
        }
    }

    // MARK: - orchestrator

    /// A problem created through gateway 0 (orchestrator replica 0, Morpheo's Basic
    /// credentials) is listed and read through gateway 1 (replica 1).
    static func problemMadeOnOneOrchestratorIsListedByTheOther(_ system: ScaleOutSystem) async throws {
        let morpheo = try await system.gateways.user("morpheo-user", roles: ["user"], through: 1)
        let credentials: HTTPHeaders = ["Authorization": basicAuth("morpheo-user", morpheo.key)]
        let request = OrchestratorAPI.CreateProblemRequest(uuid: "scale-problem-1", workflow: "W-scale", testDataset: ["t-scale"], sizeTrainDataset: 2)
        let created = try await system.request(.POST, through: 0, "/orchestrator/problem", headers: credentials, body: try JSONWriter.encode(request))
        #expect(created.status == 201, "\(created.text)")
        let listed = try await system.request(.GET, through: 1, "/orchestrator/problem", headers: credentials)
        #expect(listed.status == 200, "\(listed.text)")
        #expect(try listed.json(OrchestratorAPI.ProblemList.self).problems.map(\.uuid).contains("scale-problem-1"))
        let read = try await system.request(.GET, through: 1, "/orchestrator/problem/scale-problem-1", headers: credentials)
        #expect(read.status == 200, "\(read.text)")
        let problem = try read.json(OrchestratorAPI.Problem.self)
        #expect(problem.workflow == "W-scale" && problem.testDataset == ["t-scale"])
    }

    // MARK: - routing

    /// The scenarios above reached every replica: gateway `i` is served by replica `i` of
    /// every service (so what they showed crossed replicas, not one process's memory).
    static func everyReplicaServedItsGatewaysRequests(_ system: ScaleOutSystem) async throws {
        for service in ScaleOutSystem.services {
            for index in 0..<ScaleOutSystem.replicaCount {
                let served = try await system.requestsServed(service, index)
                #expect(served > 0, "\(service)-\(index) served no API request")
            }
        }
    }

    // MARK: - kill -9

    /// Three clients per gateway create tasks; task-manager replica 0 (behind gateway 0) gets
    /// SIGKILL after 30 acknowledged creates. Every create either gateway acknowledged is
    /// listed and readable through gateway 1 afterwards; gateway 1 answers nothing but 200
    /// throughout (its clients go on for ten creates each after the kill); gateway 0 answers
    /// a clean 502/503 once its replica is gone.
    static func killedTaskManagerLosesNoAcknowledgedCreate(_ system: ScaleOutSystem) async throws {
        let writer = try await system.gateways.user("writer", roles: ["user"], through: 0)
        let headers: [HTTPHeaders] = [["Session-ID": try await system.session(through: 0, key: writer.key)],
                                      ["Session-ID": try await system.session(through: 1, key: writer.key)]]
        let ledger = WriteLedger()
        @Sendable func create(_ name: String, through gateway: Int) async throws -> TestResponse {
            try await system.request(.POST, through: gateway, "/api/tasks", headers: headers[gateway],
                                     body: try JSONWriter.encode(TaskAPI.CreateTaskRequest(name: name, description: "written during the kill")))
        }
        let clientsPerGateway = 3, createsAfterKill = 10, cap = 2_000
        let clients = Task {
            await withTaskGroup(of: Void.self) { group in
                for gateway in 0..<2 {
                    for client in 0..<clientsPerGateway {
                        group.addTask {
                            var afterKill = 0
                            for number in 0..<cap where afterKill < createsAfterKill {
                                let sentAfterKill = ledger.killed
                                if sentAfterKill { afterKill += 1 }
                                let answer: TestResponse
                                do {
                                    answer = try await create("killtest-\(gateway)-\(client)-\(number)", through: gateway)
                                } catch {
                                    ledger.refuse(.init(gateway: gateway, status: 0, body: "\(error)", afterKill: sentAfterKill))
                                    return
                                }
                                guard answer.status == 200, let id = (try? answer.json(TaskAPI.TaskSummary.self))?.id else {
                                    ledger.refuse(.init(gateway: gateway, status: answer.status, body: answer.text, afterKill: sentAfterKill))
                                    return
                                }
                                ledger.acknowledge(id, gateway: gateway, sentAfterKill: sentAfterKill)
                            }
                        }
                    }
                }
            }
        }
        let enough = await eventually(timeout: .seconds(300), polling: .milliseconds(5)) { ledger.acknowledged(through: 0).count >= 30 }
        let ending = await system.kill("task-manager", 0)
        ledger.markKilled()
        await clients.value
        #expect(enough, "gateway 0 acknowledged 30 creates before the kill")
        #expect(ending == SIGKILL)

        // Gateway 1 (replica 1) refused nothing, before, during or after the kill.
        let refusals = ledger.refusals
        #expect(refusals.filter { $0.gateway == 1 }.isEmpty, "\(refusals)")
        #expect(ledger.acknowledgedAfterKill(through: 1) == clientsPerGateway * createsAfterKill)
        // Gateway 0's clients stopped at a gateway error, not a service's 500.
        #expect(refusals.filter { $0.gateway == 0 }.allSatisfy { [502, 503].contains($0.status) }, "\(refusals)")
        let late = try await create("killtest-late", through: 0)
        #expect([502, 503].contains(late.status), "\(late.status) \(late.text)")
        #expect(late.object?["code"] as? Int == late.status, "\(late.text)")
        let fresh = try await create("killtest-fresh", through: 1)
        #expect(fresh.status == 200, "\(fresh.text)")

        // Every acknowledged create is listed through gateway 1 and readable whole there.
        var listed: Set<String> = []
        var page = 1
        while true {
            let response = try await system.request(.GET, through: 1, "/api/tasks?search=killtest&limit=100&page=\(page)", headers: headers[1])
            #expect(response.status == 200, "\(response.text)")
            let tasks = try response.json(TaskAPI.TaskList.self).tasks
            listed.formUnion(tasks.map(\.id))
            if tasks.count < 100 { break }
            page += 1
        }
        let acknowledged = ledger.acknowledged(through: 0) + ledger.acknowledged(through: 1)
        let lost = acknowledged.filter { !listed.contains($0) }
        #expect(lost.isEmpty, "\(lost.count) of \(acknowledged.count) acknowledged creates not listed: \(lost.prefix(5))")
        var unreadable: [String] = []
        for id in ledger.acknowledged(through: 0) {
            let read = try await system.request(.GET, through: 1, "/api/tasks/\(id)", headers: headers[1])
            if read.status != 200 || ((try? read.json(TaskAPI.TaskDetail.self))?.files.isEmpty ?? true) { unreadable.append(id) }
        }
        #expect(unreadable.isEmpty, "replica 0's acknowledged tasks not readable through replica 1: \(unreadable.prefix(5))")
        print("scale-out: kill -9: \(ledger.acknowledged(through: 0).count) creates acknowledged through gateway 0, "
              + "\(ledger.acknowledged(through: 1).count) through gateway 1; none lost")
    }
}
