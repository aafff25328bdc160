/// Why the ZIP writer refused or stopped.
public enum ZIPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An entry name that is not a safe relative path (`reason` says which rule it breaks).
    case invalidName(String, reason: String)
    /// A second entry with the same name.
    case duplicateName(String)
    /// `addFile` or `finish` after `finish`.
    case finished
    /// An earlier write failed (the output threw, a file could not be read); the archive
    /// is incomplete and the writer takes nothing more.
    case failedEarlier
    /// A file to add could not be opened or read.
    case unreadable(path: String, reason: String)
    /// A file became shorter while it was being read.
    case fileChanged(path: String)
    /// zlib refused (a compression level outside -1…9, or an internal error).
    case compression(String)

    /// What went wrong, in a sentence.
    public var description: String {
        switch self {
        case .invalidName(let name, let reason): return "invalid ZIP entry name \"\(name)\": \(reason)"
        case .duplicateName(let name): return "duplicate ZIP entry name \"\(name)\""
        case .finished: return "the ZIP archive is already finished"
        case .failedEarlier: return "an earlier write to this ZIP archive failed; the archive is incomplete"
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        case .fileChanged(let path): return "\(path) became shorter while it was being added"
        case .compression(let reason): return "zlib: \(reason)"
        }
    }
}
