/// One request to a kernel (kernel.py's `Kernel.handle`).
struct KernelCommand: Encodable, Sendable {
    /// `load`, `execute`, `context`, `inspect`, `clean` or `ping`.
    var op: String
    /// The code (`execute`, `clean`).
    var code: String?
    /// CSV text (`load`: nil loads the built-in sample; `inspect`).
    var csv: String?

    /// `df` from `csv`, or the built-in sample when nil.
    static func load(csv: String?) -> KernelCommand { KernelCommand(op: "load", csv: csv) }
    /// Runs code in the session's namespace.
    static func execute(_ code: String) -> KernelCommand { KernelCommand(op: "execute", code: code) }
    /// The dataset context for the LLM.
    static let context = KernelCommand(op: "context")
    /// Whether a CSV reads as a table.
    static func inspect(csv: String) -> KernelCommand { KernelCommand(op: "inspect", csv: csv) }
    /// The `ast` clean-up of code.
    static func clean(_ code: String) -> KernelCommand { KernelCommand(op: "clean", code: code) }
}
