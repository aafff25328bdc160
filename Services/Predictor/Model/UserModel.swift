import Foundation

/// One user's personal model: an n-gram model and a symbol index built from the Python files
/// they uploaded. Uploading a new version of a path replaces that path's contribution.
/// A value type: each user owns an independent instance, so no data crosses users.
public struct UserModel: Sendable {
    /// What one uploaded file contributes.
    public struct FileContribution: Sendable, Equatable {
        /// The file's model symbols.
        public var symbols: [String]
        /// Names the file defines or imports.
        public var definitions: [SymbolDefinition]
    }

    /// Contributions by path (`workspace/relative/path.py`).
    public private(set) var files: [String: FileContribution] = [:]
    /// The n-gram model over all files (rebuilt when files change).
    public private(set) var ngram: NGramModel
    /// Name -> number of files defining/importing it, over all files.
    public private(set) var definitionCounts: [String: Int] = [:]
    /// `(name, files defining it)`, sorted by name bytes (prefix lookups by binary search).
    public private(set) var definitionsByName: [(String, Int)] = []
    /// The most widely defined names, best first (used when nothing is typed).
    public private(set) var topDefinitions: [(String, Int)] = []
    /// Module name (file stem) -> its top-level names.
    public private(set) var moduleMembers: [String: [String]] = [:]
    /// The n-gram order.
    public let order: Int

    /// Creates an empty user model.
    public init(order: Int = 4) {
        self.order = order
        self.ngram = NGramModel.empty(order: order)
    }

    /// Whether nothing has been uploaded.
    public var isEmpty: Bool { files.isEmpty }

    /// Roughly how many bytes of memory the model holds (walks it: compute once per version).
    public var estimatedBytes: Int { MemoryEstimate.userModel(self) }

    /// Adds or replaces files (`path -> source`); non-Python paths are ignored.
    public mutating func update(files new: [String: String]) {
        var changed = false
        for (path, src) in new where path.hasSuffix(".py") {
            let bytes = Array(src.utf8)
            let toks = PythonTokenizer().tokenize(bytes: bytes)
            files[path] = FileContribution(symbols: toks.compactMap { TokenNormalizer.symbol($0, in: bytes) },
                                           definitions: SymbolScanner.scan(bytes: bytes))
            changed = true
        }
        if changed { rebuild() }
    }

    /// Removes a file's contribution.
    public mutating func remove(path: String) {
        if files.removeValue(forKey: path) != nil { rebuild() }
    }

    private mutating func rebuild() {
        var trainer = NGramTrainer(order: order)
        var defs: [String: Int] = [:]
        var members: [String: [String]] = [:]
        for path in files.keys.sorted() {
            guard let f = files[path] else { continue }
            trainer.add(symbols: f.symbols)
            var seen = Set<String>()
            for d in f.definitions where seen.insert(d.name).inserted { defs[d.name, default: 0] += 1 }
            let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            let top = f.definitions.filter { $0.indent == 0 && $0.kind != .parameter }.map(\.name)
            var uniq: [String] = []
            var s2 = Set<String>()
            for t in top where s2.insert(t).inserted { uniq.append(t) }
            members[stem, default: []].append(contentsOf: uniq)
        }
        ngram = trainer.build()
        definitionCounts = defs
        definitionsByName = defs.sorted { NGramModel.less($0.key, $1.key) }.map { ($0.key, $0.value) }
        topDefinitions = Array(defs.sorted { $0.value != $1.value ? $0.value > $1.value : NGramModel.less($0.key, $1.key) }
            .prefix(64).map { ($0.key, $0.value) })
        moduleMembers = members
    }

    /// Definitions whose name starts with `prefix` (the top ones when `prefix` is empty).
    public func definitions(withPrefix prefix: String) -> ArraySlice<(String, Int)> {
        if prefix.isEmpty { return topDefinitions[...] }
        var lo = 0, hi = definitionsByName.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if NGramModel.less(definitionsByName[mid].0, prefix) { lo = mid + 1 } else { hi = mid }
        }
        var end = lo
        while end < definitionsByName.count && definitionsByName[end].0.hasPrefix(prefix) && end - lo < 256 { end += 1 }
        return definitionsByName[lo..<end]
    }

    static let magic: UInt32 = 0x4C44_4D55 // "UMDL"

    /// A binary encoding of the uploaded contributions (the n-gram model is rebuilt on load).
    public func serialized() -> Data {
        var w = BinaryWriter()
        w.u32(UserModel.magic)
        w.u32(UInt32(order))
        w.u32(UInt32(files.count))
        for path in files.keys.sorted() {
            guard let f = files[path] else { continue }
            w.string(path)
            w.u32(UInt32(f.symbols.count))
            for s in f.symbols { w.string(s) }
            w.u32(UInt32(f.definitions.count))
            for d in f.definitions {
                w.string(d.name); w.u32(UInt32(d.kind.rawValue)); w.u32(UInt32(d.line)); w.u32(UInt32(d.indent))
            }
        }
        return w.data
    }

    /// Decodes a model written by `serialized()`.
    public init(serialized data: Data) throws {
        var r = BinaryReader(data)
        guard try r.u32() == UserModel.magic else { throw BinaryCodecError.corrupt("bad header") }
        let order = Int(try r.u32())
        guard (1...8).contains(order) else { throw BinaryCodecError.corrupt("order") }
        self.init(order: order)
        let n = try r.u32()
        for _ in 0..<n {
            let path = try r.string()
            let ns = try r.u32()
            var syms: [String] = []
            for _ in 0..<ns { syms.append(try r.string()) }
            let nd = try r.u32()
            var defs: [SymbolDefinition] = []
            for _ in 0..<nd {
                let name = try r.string()
                let kind = SymbolDefinition.Kind(rawValue: UInt8(truncatingIfNeeded: try r.u32())) ?? .variable
                defs.append(SymbolDefinition(name: name, kind: kind, line: Int(try r.u32()), indent: Int(try r.u32())))
            }
            files[path] = FileContribution(symbols: syms, definitions: defs)
        }
        rebuild()
    }
}
