import Contracts
import Foundation
@testable import Orchestrator
import ServiceKit
import Testing
import TestSupport

/// The bounds on what one request may cause (issue 10, finding 6): the learnuplets one
/// `POST /data` or `POST /algo` may create, and pages of `GET /{collection}`. Small
/// settings show each bound; in-process and through the real gateway and binaries.
@Suite struct OrchestratorLimitTests {
    /// A problem `P` (one train id per learnuplet) with `algos` algos.
    func problemWithAlgos(_ h: Harness, algos: Int) async {
        #expect(await h.problem("P", size: 1).status == 201)
        for a in 1...algos { #expect(await h.algo("A\(a)", problem: "P").status == 201) }
    }

    @Test(arguments: Transport.allCases, TestBackend.allCases) func postDataBeyondTheLearnupletBudgetIs413AndStoresNothing(_ transport: Transport, _ backend: TestBackend) async throws {
        let h = try await Harness.make(env: ["MAX_NEW_LEARNUPLETS": "10"], transport: transport, backend: backend)
        defer { Task { await h.shutdown() } }
        await problemWithAlgos(h, algos: 3)
        // 4 ids × 3 algos = 12 learnuplets > 10.
        let refused = await h.data(["d1", "d2", "d3", "d4"], problems: ["P"])
        #expect(refused.status == 413)
        let message = try #require(errorMessage(refused))
        #expect(message.contains("12 learnuplets") && message.contains("10") && message.contains("fewer data ids"), "\(message)")
        #expect(list(await h.get("/data"), "datas").isEmpty)
        #expect(await h.learnuplets().isEmpty)
        if transport == .inProcess {
            #expect(h.metrics.value("orchestrator_learnuplet_budget_refusals_total", labels: [("route", "data")]) == 1)
        }
        // Split as the message says: 3 ids × 3 algos = 9, then 1 × 3 = 3.
        let first = await h.data(["d1", "d2", "d3"], problems: ["P"])
        #expect(first.status == 201)
        #expect(object(first)["new_learnuplets"] as? Int == 9)
        #expect(object(await h.data(["d4"], problems: ["P"]))["new_learnuplets"] as? Int == 3)
        #expect(await h.learnuplets("algo=A2").map { $0["rank"] as? Int } == [0, 1, 2, 3])
    }

    @Test(arguments: TestBackend.allCases) func testDataDoNotCountAgainstTheBudget(_ backend: TestBackend) async throws {
        let h = try await Harness.make(env: ["MAX_NEW_LEARNUPLETS": "4"], backend: backend)
        defer { Task { await h.shutdown() } }
        #expect(await h.problem("P", test: ["t1", "t2"], size: 1).status == 201)
        for a in 1...2 { #expect(await h.algo("A\(a)", problem: "P").status == 201) }
        // 2 train ids × 2 algos = 4 (the 2 test ids make none).
        let r = await h.data(["d1", "t1", "d2", "t2"], problems: ["P"])
        #expect(r.status == 201, "\(r.text)")
        #expect(object(r)["new_learnuplets"] as? Int == 4)
    }

    @Test(arguments: TestBackend.allCases) func postAlgoBeyondTheLearnupletBudgetIs413AndStoresNothing(_ backend: TestBackend) async throws {
        let h = try await Harness.make(env: ["MAX_NEW_LEARNUPLETS": "10"], backend: backend)
        defer { Task { await h.shutdown() } }
        #expect(await h.problem("P", size: 2).status == 201)
        // No algo yet: data alone makes no learnuplet, whatever its count.
        #expect(await h.data((1...20).map { "d\($0)" }, problems: ["P"]).status == 201)
        // 20 ids in chunks of 2: exactly 10, allowed.
        #expect(object(await h.algo("A1", problem: "P"))["new_learnuplets"] as? Int == 10)
        #expect(await h.data(["d21"], problems: ["P"]).status == 201)
        // 21 ids: 11 chunks > 10.
        let refused = await h.algo("A2", problem: "P")
        #expect(refused.status == 413)
        #expect(errorMessage(refused)?.contains("11 learnuplets") == true, "\(refused.text)")
        #expect(list(await h.get("/algo"), "algos").map { $0["uuid"] as? String } == ["A1"])
        #expect(await h.learnuplets("algo=A2").isEmpty)
        #expect(h.metrics.value("orchestrator_learnuplet_budget_refusals_total", labels: [("route", "algo")]) == 1)
    }

    @Test func theBudgetSettingIsValidatedAtStart() async throws {
        for value in ["0", "-1", "many"] {
            #expect(throws: ConfigError.self) {
                try OrchestratorService.options(OrchestratorService.config(environment: ["DATA_DIR": "/tmp", "MAX_NEW_LEARNUPLETS": value]))
            }
        }
        // A default page larger than the largest one is refused too.
        #expect(throws: ConfigError.self) {
            try OrchestratorService.options(OrchestratorService.config(environment: ["DATA_DIR": "/tmp", "LIST_MAX_PAGE_SIZE": "10"]))
        }
        let options = try OrchestratorService.options(OrchestratorService.config(environment: ["DATA_DIR": "/tmp"]))
        #expect(options.limits.maxNewLearnuplets == OrchestratorLimits.defaults.maxNewLearnuplets)
        #expect(options.limits.listPageSize == OrchestratorLimits.defaults.listPageSize)
    }

    /// `POST /data` stores its data and one pending continuation per algo in one
    /// transaction, then continues each algo in its own. A stop in between (simulated here
    /// by writing that first transaction's rows directly) is finished at the next start.
    @Test(arguments: TestBackend.allCases) func continuationsLeftPendingByAStopAreFinishedAtStart(_ backend: TestBackend) async throws {
        let dir = temporaryDirectory()
        let h = try await Harness.make(dir: dir, backend: backend)
        await problemWithAlgos(h, algos: 2)
        #expect(await h.data(["d1"], problems: ["P"]).status == 201)
        let store = try #require(h.instance).store
        try await store.write { conn in
            guard let info = try ProblemInfo.load(conn, "P") else { return }
            try conn.run(Queries.insertData, "d2", #"["P"]"#, 1_700_000_000)
            try conn.run(Queries.insertDataProblem, "P", 1_700_000_000, "d2")
            let chunks = try LearnupletCutter.chunks(conn, train: ["d2"], size: info.size)
            for algo in ["A1", "A2"] { try conn.run(Queries.insertPendingCut, "P", algo, PendingCut.column(chunks), 1_700_000_000) }
        }
        #expect(await h.learnuplets().count == 2)
        await h.stop()
        let restarted = try await Harness.make(dir: dir, database: h.database)
        defer { Task { await restarted.shutdown() } }
        for algo in ["A1", "A2"] {
            let chain = await restarted.learnuplets("algo=\(algo)")
            #expect(chain.map { $0["rank"] as? Int } == [0, 1])
            #expect(chain.last?["train_data"] as? [String] == ["d2"])
            #expect(chain.last?["timestamp_creation"] as? Int == 1_700_000_000)
        }
        let left = try await restarted.instance.store.read { conn in try conn.query("SELECT id FROM pending_cut").count }
        #expect(left == 0)
        // Finishing again changes nothing.
        #expect(try await restarted.instance.store.finishPendingCuts() == 0)
    }

    @Test func continuationsAreGroupedIntoTransactionsOfWholeAlgos() {
        let problem = ProblemInfo(uuid: "P", workflow: "W", testJSON: "[]", size: 1, testData: [], version: 0)
        let cuts = [3, 2, 4, 1, 5].enumerated().map { k, count in
            PendingCut(id: Int64(k), problem: problem, algo: "A\(k)", chunks: (0..<count).map(Int64.init), createdAt: 0)
        }
        let sizes = { (limit: Int) in PendingCut.batches(cuts, learnuplets: limit).map { $0.map(\.chunks.count) } }
        #expect(sizes(5) == [[3, 2], [4, 1], [5]])
        #expect(sizes(1) == [[3], [2], [4], [1], [5]])
        #expect(sizes(4) == [[3, 2], [4], [1, 5]])
        #expect(sizes(100) == [[3, 2, 4, 1, 5]])
        #expect(PendingCut.batches([], learnuplets: 5).isEmpty)
    }

    /// The `next` link of a response, as a path for `Harness.get` (it is relative to the
    /// collection's directory, `/` here and `/orchestrator/` at the gateway).
    func nextPath(_ r: TestResponse) -> String? {
        guard let link = r.headers["Link"], link.hasPrefix("<"), let end = link.firstIndex(of: ">"),
              link[end...].contains(#"rel="next""#) else { return nil }
        return "/" + link[link.index(after: link.startIndex)..<end]
    }

    @Test(arguments: Transport.allCases, TestBackend.allCases) func listsArePagedWithALinkToTheNextPage(_ transport: Transport, _ backend: TestBackend) async throws {
        let h = try await Harness.make(env: ["LIST_PAGE_SIZE": "3", "LIST_MAX_PAGE_SIZE": "5"], transport: transport, backend: backend)
        defer { Task { await h.shutdown() } }
        await problemWithAlgos(h, algos: 1)
        #expect(await h.data((0..<8).map { "d\($0)" }, problems: ["P"]).status == 201)
        // No paging parameters: the first LIST_PAGE_SIZE in the original's envelope, then
        // the Link chain to the end.
        var path: String? = "/learnuplet"
        var pages: [[Int]] = []
        while let next = path, pages.count < 10 {
            let r = await h.get(next)
            #expect(r.status == 200, "\(r.text)")
            pages.append(list(r, "learnuplets").compactMap { $0["rank"] as? Int })
            path = nextPath(r)
        }
        #expect(pages == [[0, 1, 2], [3, 4, 5], [6, 7]])
        // Filters stay in the link; a limit above the largest page is lowered to it.
        let big = await h.get("/learnuplet?algo=A1&limit=100")
        #expect(list(big, "learnuplets").count == 5)
        let rest = await h.get(try #require(nextPath(big)))
        #expect(list(rest, "learnuplets").compactMap { $0["rank"] as? Int } == [5, 6, 7])
        #expect(rest.headers["Link"] == nil)
        #expect(list(await h.get("/learnuplet?algo=A9&limit=100"), "learnuplets").isEmpty)
        // A page that ends exactly at the last document has no next link.
        let exact = await h.get("/learnuplet?limit=4&after=0")
        #expect(list(exact, "learnuplets").count == 4)
        #expect(list(await h.get(try #require(nextPath(exact))), "learnuplets").count == 4)
        #expect(await h.get("/data?limit=5&after=\(Int32.max)").headers["Link"] == nil)
        for bad in ["limit=0", "limit=-2", "limit=x", "after=-1", "after=z"] {
            let r = await h.get("/learnuplet?" + bad)
            #expect(r.status == 400, "\(bad)")
            #expect(errorMessage(r)?.hasPrefix(bad.hasPrefix("limit") ? "limit must be" : "after must be") == true, "\(r.text)")
        }
    }

    @Test(arguments: TestBackend.allCases) func everyCollectionIsPaged(_ backend: TestBackend) async throws {
        let h = try await Harness.make(env: ["LIST_PAGE_SIZE": "1"], backend: backend)
        defer { Task { await h.shutdown() } }
        await problemWithAlgos(h, algos: 2)
        #expect(await h.problem("Q", size: 1).status == 201)
        #expect(await h.data(["d1", "d2"], problems: ["P"]).status == 201)
        await h.train(try #require(await h.learnuplets("algo=A1&rank=0").first?["uuid"] as? String), perf: 0.5)
        for _ in 0..<2 { #expect(await h.post("/prediction", #"{"data":"x","problem":"P"}"#).status == 201) }
        for (collection, key, count) in [("problem", "problems", 2), ("algo", "algos", 2), ("data", "datas", 2),
                                         ("learnuplet", "learnuplets", 4), ("preduplet", "preduplets", 2)] {
            var path: String? = "/\(collection)"
            var seen: [String] = []
            while let next = path, seen.count <= count {
                let r = await h.get(next)
                let page = list(r, key)
                #expect(page.count == 1, "\(collection): \(r.text)")
                seen += page.compactMap { $0["uuid"] as? String }
                path = nextPath(r)
            }
            #expect(seen.count == count && Set(seen).count == count, "\(collection): \(seen)")
            #expect(h.metrics.value("orchestrator_list_pages_cut_total", labels: [("collection", collection)]) == Double(count - 1))
        }
    }

    @Test(arguments: TestBackend.allCases) func pagesEndAtTheirByteBudget(_ backend: TestBackend) async throws {
        let h = try await Harness.make(env: ["LIST_PAGE_MAX_BYTES": "1024"], backend: backend)
        defer { Task { await h.shutdown() } }
        // 30 ids of 40 characters per learnuplet: each one alone passes 1,024 bytes.
        #expect(await h.problem("P", size: 30).status == 201)
        #expect(await h.algo("A1", problem: "P").status == 201)
        let ids = (0..<90).map { String(format: "data-%035d", $0) }
        #expect(await h.data(ids, problems: ["P"]).status == 201)
        var path: String? = "/learnuplet"
        var ranks: [Int] = []
        while let next = path, ranks.count < 10 {
            let r = await h.get(next)
            let page = list(r, "learnuplets")
            #expect(page.count == 1, "\(r.text.count) bytes")
            #expect(r.body.count > 1024)
            ranks += page.compactMap { $0["rank"] as? Int }
            path = nextPath(r)
        }
        #expect(ranks == [0, 1, 2])
    }

    /// Morpheo's Compute is one party: the spec gives `/worker`, `/learndone` and
    /// `/preddone` to the `compute` role, and the original's learndone body names no
    /// worker. So any caller with the compute role may report a claimed learnuplet (a
    /// Compute's worker that restarts reports under another worker id); other roles may not.
    @Test(arguments: TestBackend.allCases) func anyComputeCallerMayReportAClaimedLearnupletOtherRolesMayNot(_ backend: TestBackend) async throws {
        let h = try await Harness.make(backend: backend)
        defer { Task { await h.shutdown() } }
        await problemWithAlgos(h, algos: 1)
        #expect(await h.data(["d1"], problems: ["P"]).status == 201)
        let id = try #require(await h.learnuplets().first?["uuid"] as? String)
        #expect(await h.post("/worker/learnuplet/\(id)", #"{"worker":"w1"}"#, as: compute).status == 200)
        let done = #"{"status":"done","perf":0.9,"train_perf":{"d1":0.9},"test_perf":{}}"#
        for identity in [user, admin] {
            #expect(await h.post("/learndone/\(id)", done, as: identity).status == 403)
        }
        let otherCompute = Identity(userID: "c2", name: "compute-2", roles: ["compute"])
        #expect(await h.post("/learndone/\(id)", done, as: otherCompute).status == 200)
        #expect(await h.learnuplets().first?["status"] as? String == "done")
    }
}
