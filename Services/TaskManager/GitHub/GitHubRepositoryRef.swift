import HTTPCore
import ServiceKit

/// A repository named by a GitHub URL: `https://github.com/<owner>/<repo>`, optionally with
/// `.git` or a trailing slash (`http://` and `www.github.com` also); anything else is a 400.
struct GitHubRepositoryRef: Sendable, Equatable {
    /// The owner (user or organisation).
    var owner: String
    /// The repository's name.
    var name: String

    /// `owner/name`.
    var fullName: String { owner + "/" + name }
    /// The HTTPS clone URL.
    var cloneURL: String { "https://github.com/\(owner)/\(name).git" }
    /// The web URL.
    var webURL: String { "https://github.com/\(owner)/\(name)" }

    /// Parses a repository URL; 400 naming the accepted forms.
    init(url text: String) throws {
        func refuse() -> ServiceError {
            ServiceError.badRequest("repoUrl must be a GitHub repository URL: https://github.com/<owner>/<repo> (optionally ending in .git or /)")
        }
        var rest = Substring(text.trimmingSpaces)
        guard let scheme = ["https://", "http://"].first(where: { rest.lowercased().hasPrefix($0) }) else { throw refuse() }
        rest = rest.dropFirst(scheme.count)
        for host in ["github.com/", "www.github.com/"] where rest.lowercased().hasPrefix(host) {
            rest = rest.dropFirst(host.count)
            var parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 3 && parts[2].isEmpty { parts.removeLast() }  // trailing slash
            guard parts.count == 2 else { throw refuse() }
            var repo = parts[1]
            if repo.lowercased().hasSuffix(".git") { repo.removeLast(4) }
            guard Self.isValidOwner(parts[0]), Self.isValidName(repo) else { throw refuse() }
            owner = parts[0]
            name = repo
            return
        }
        throw refuse()
    }

    /// GitHub's owner names: 1–39 letters, digits or single inner hyphens.
    static func isValidOwner(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 39 && !text.hasPrefix("-") && !text.hasSuffix("-")
            && text.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// GitHub's repository names: 1–100 of letters, digits, `.`, `_`, `-`; not `.` or `..`.
    static func isValidName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 100 && text != "." && text != ".."
            && text.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7a)
    }
}
