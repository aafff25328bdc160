import Foundation
import HTTPCore

/// GitHub's pagination `Link` header (RFC 8288): `<url>; rel="next", <url>; rel="last"`.
struct GitHubLinkHeader: Sendable, Equatable {
    /// URLs by relation (`next`, `last`, `prev`, `first`).
    var links: [String: String]

    /// Parses a header value (unparsable entries are skipped).
    init(_ value: String?) {
        links = [:]
        guard let value else { return }
        for entry in value.split(separator: ",") {
            let parts = entry.split(separator: ";").map { $0.trimmingSpaces }
            guard let target = parts.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
            let url = String(target.dropFirst().dropLast())
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces }
                guard pair.count == 2, pair[0].lowercased() == "rel" else { continue }
                let relations = pair[1].trimmingCharacters(in: ["\""]).split(separator: " ")
                for relation in relations { links[String(relation)] = url }
            }
        }
    }

    /// The `page` query parameter of the `rel="last"` link: how many pages there are.
    var lastPage: Int? {
        guard let last = links["last"], let query = last.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        for item in query.split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0] == "page", let page = Int(pair[1]) { return page }
        }
        return nil
    }
}
