import Foundation
import Predictor

// predictor-bench: training and benchmark driver for the Predictor model library.
//   predictor-bench train <cache-out> [corpus-dir]
//   predictor-bench predict <base-cache> <cases.json> <out.json> [model]
// cases.json: [{"file": path, "offset": bytes, "eol": bytes}], the file is split into
// prefix = bytes[..<offset] and suffix = bytes[eol...]; out.json: [{"preds": [...], "ms": t}].

let args = CommandLine.arguments
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
/// CPU time of this process (all threads), in seconds (unaffected by other processes on a busy machine).
func threadCPU() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
func fail(_ s: String) -> Never { FileHandle.standardError.write(Data((s + "\n").utf8)); exit(2) }

var order = 4
if args.count >= 3 && args[1] == "train" {
    guard let root = args.count >= 4 ? URL(fileURLWithPath: args[3]) : await BaseCorpus.pythonStandardLibrary() else { fail("no corpus") }
    var corpus = BaseCorpus(root: root)
    if let ex = ProcessInfo.processInfo.environment["PRED_INCLUDE"] {
        for d in ex.split(separator: ",") { corpus.excludedDirectories.remove(String(d)) }
    }
    if let v = ProcessInfo.processInfo.environment["PRED_ORDER"].flatMap(Int.init) { order = v }
    let t0 = now()
    let files = corpus.files()
    let m = corpus.train(order: order)
    let t1 = now()
    let data = m.serialized()
    try data.write(to: URL(fileURLWithPath: args[2]))
    let t2 = now()
    let m2 = try NGramModel(serialized: Data(contentsOf: URL(fileURLWithPath: args[2])))
    let t3 = now()
    print("files=\(files.count) tokens=\(m.tokenCount) vocab=\(m.vocab.count) train_s=\(String(format: "%.2f", t1 - t0)) bytes=\(data.count) save_s=\(String(format: "%.3f", t2 - t1)) load_s=\(String(format: "%.3f", t3 - t2)) roundtrip_equal=\(m2 == m)")
    exit(0)
}

if args.count >= 5 && args[1] == "predict" {
    let t0 = now()
    let base = try NGramModel(serialized: Data(contentsOf: URL(fileURLWithPath: args[2])))
    FileHandle.standardError.write(Data("base model loaded in \(String(format: "%.3f", now() - t0)) s\n".utf8))
    let model = args.count >= 6 ? args[5] : "auto"
    let engine = PredictorEngine(configuration: .init(baseCacheFile: URL(fileURLWithPath: "/dev/null")))
    await engine.setBaseModel(base)
    // Tuning knobs (environment): PRED_BASE_W, PRED_CACHE_W, PRED_USER_W, PRED_SYM_W, PRED_LEN_PEN, PRED_BEAM.
    var settings = LocalDecoder.Settings()
    let env = ProcessInfo.processInfo.environment
    if let v = env["PRED_BASE_W"].flatMap(Double.init) { settings.baseWeight = v }
    if let v = env["PRED_CACHE_W"].flatMap(Double.init) { settings.cacheWeight = v }
    if let v = env["PRED_USER_W"].flatMap(Double.init) { settings.userWeight = v }
    if let v = env["PRED_SYM_W"].flatMap(Double.init) { settings.symbolWeight = v }
    if let v = env["PRED_LEN_PEN"].flatMap(Double.init) { settings.lengthPenalty = v }
    if let v = env["PRED_BOOST"].flatMap(Double.init) { settings.contextBoost = v }
    if let v = env["PRED_CACHE_ORDER"].flatMap(Int.init) { settings.cacheOrder = v }
    if let v = env["PRED_BEAM"].flatMap(Int.init) { settings.beamWidth = v }
    await engine.register(AutoCompletionModel(settings: settings))
    guard let cases = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: args[3]))) as? [[String: Any]] else {
        fail("bad cases")
    }
    var files: [String: [UInt8]] = [:]
    var results: [[String: Any]] = []
    let marker = Array("<cursor>".utf8)
    // Warm-up.
    _ = try? await engine.predict(user: nil, fileText: "import os\nos.<cursor>\n", n: 5, model: model)
    // Workspace mode: each case may name a "workspace" directory; its other .py files are the
    // user's uploads (the file being completed is left out), as the editor client uploads them.
    var workspaces: [String: UserModel] = [:]
    var userFor: (key: String, model: UserModel)? = nil
    func workspaceModel(_ root: String, excluding file: String) -> UserModel {
        let key = root + "|" + file
        if let u = userFor, u.key == key { return u.model }
        if workspaces[root] == nil {
            var files: [String: String] = [:]
            for f in BaseCorpus(root: URL(fileURLWithPath: root), excludedDirectories: []).files() {
                if let d = try? Data(contentsOf: f) { files[f.path] = String(decoding: d, as: UTF8.self) }
            }
            var u = UserModel()
            u.update(files: files)
            workspaces[root] = u
        }
        var u = workspaces[root]!
        u.remove(path: URL(fileURLWithPath: file).standardizedFileURL.path)
        u.remove(path: file)
        userFor = (key, u)
        return u
    }
    let auto = AutoCompletionModel(settings: settings)
    // Process cases grouped by (workspace, file) so each user model is built once per file.
    let order = cases.indices.sorted {
        let a = cases[$0], b = cases[$1]
        let ka = ((a["workspace"] as? String) ?? "", (a["file"] as? String) ?? "")
        let kb = ((b["workspace"] as? String) ?? "", (b["file"] as? String) ?? "")
        return ka != kb ? ka < kb : $0 < $1
    }
    var byIndex = [[String: Any]?](repeating: nil, count: cases.count)
    for idx in order {
        let c = cases[idx]
        defer { byIndex[idx] = results.popLast() }
        guard let path = c["file"] as? String, let off = c["offset"] as? Int, let eol = c["eol"] as? Int else { continue }
        if let ws = c["workspace"] as? String {
            if files[path] == nil { files[path] = Array(try Data(contentsOf: URL(fileURLWithPath: path))) }
            let b = files[path]!
            let user = workspaceModel(ws, excluding: path)
            let t = now()
            let c0 = threadCPU()
            let text = String(decoding: Array(b[..<off]) + marker + Array(b[eol...]), as: UTF8.self)
            let ctx = try CompletionContext(fileText: text, resources: ModelResources(base: base, user: user))
            let preds = await auto.complete(ctx, n: 5).map(\.text)
            results.append(["preds": preds, "ms": (now() - t) * 1000, "cpu_ms": (threadCPU() - c0) * 1000])
            continue
        }
        if files[path] == nil { files[path] = Array(try Data(contentsOf: URL(fileURLWithPath: path))) }
        let b = files[path]!
        guard off >= 0, off <= eol, eol <= b.count else { results.append(["preds": [String](), "ms": 0.0]); continue }
        let t = now()
        let c0 = threadCPU()
        let text = String(decoding: Array(b[..<off]) + marker + Array(b[eol...]), as: UTF8.self)
        let r = try? await engine.predict(user: nil, fileText: text, n: 5, model: model)
        let ms = (now() - t) * 1000
        let cpu = (threadCPU() - c0) * 1000
        results.append(["preds": r?.predictions ?? [], "ms": ms, "cpu_ms": cpu])
    }
    let out = try JSONSerialization.data(withJSONObject: byIndex.map { $0 ?? ["preds": [String](), "ms": 0.0] })
    try out.write(to: URL(fileURLWithPath: args[4]))
    exit(0)
}
if args.count >= 3 && args[1] == "profile" {
    let b = Array(try Data(contentsOf: URL(fileURLWithPath: args[2])))
    let text = String(decoding: b, as: UTF8.self)
    let off = b.count * 2 / 3
    func time(_ label: String, _ f: () -> Void) {
        let t = now(); for _ in 0..<50 { f() }; print(label, String(format: "%.3f ms", (now() - t) * 1000 / 50))
    }
    let window = Array(b[max(0, off - 16000)..<off])
    var syms: [String] = []
    time("tokenize 16KB") { let toks = PythonTokenizer().tokenize(bytes: window); syms = toks.compactMap { TokenNormalizer.symbol($0, in: window) } }
    time("cache build") { var t = NGramTrainer(order: 4); t.add(symbols: syms); _ = t.build() }
    time("symbol scan") { _ = SymbolScanner.scan(bytes: b) }
    time("utf8 copy") { _ = Array(text.utf8) }
    let file = String(decoding: Array(b[..<off]) + Array("<cursor>".utf8) + Array(b[off...]), as: UTF8.self)
    time("context") { _ = try? CompletionContext(fileText: file) }
    let ctx = try CompletionContext(fileText: file)
    time("analysis") { _ = LocalAnalysis(ctx) }
    exit(0)
}
fail("usage: predictor-bench train <cache> [corpus] | predict <cache> <cases.json> <out.json> [model]")
