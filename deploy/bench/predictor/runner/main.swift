import Foundation
import Predictor

let args = CommandLine.arguments
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

if args.count >= 3 && args[1] == "train" {
    let root = args.count >= 4 ? URL(fileURLWithPath: args[3]) : BaseCorpus.pythonStandardLibrary()!
    let corpus = BaseCorpus(root: root)
    let t0 = now()
    let files = corpus.files()
    let m = corpus.train()
    let t1 = now()
    let data = m.serialized()
    try data.write(to: URL(fileURLWithPath: args[2]))
    let t2 = now()
    let m2 = try NGramModel(serialized: Data(contentsOf: URL(fileURLWithPath: args[2])))
    let t3 = now()
    print("files=\(files.count) tokens=\(m.tokenCount) vocab=\(m.vocab.count) train=\(t1 - t0)s bytes=\(data.count) save=\(t2 - t1)s load=\(t3 - t2)s equal=\(m2 == m)")
    for (k, t) in m.tables.enumerated() { print("order \(k + 1): contexts=\(t.ctxKeys.count) entries=\(t.succIds.count) D=\(t.discount)") }
    exit(0)
}
