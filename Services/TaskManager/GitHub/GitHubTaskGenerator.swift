import Contracts
import Crypto
import Foundation
import HTTPCore
import ServiceKit

/// Makes a Harbor task from a GitHub issue or pull request, reading what can be read at
/// once concurrently: the repository, the issue, the pull request and the first page of its
/// changed files together; then the remaining pages together (their number comes from the
/// `Link` header's `rel="last"`; without one the `rel="next"` chain is followed); then the
/// test files' contents, eight at a time.
struct GitHubTaskGenerator: Sendable {
    /// The API client.
    let github: GitHubClient
    /// Where the task is stored.
    let repository: TaskRepository

    /// Files per page GitHub uses (and is asked for).
    static let pageSize = 30
    /// GitHub lists at most 3,000 files of a pull request: 100 pages.
    static let maxPages = 100
    /// Test files fetched at once.
    static let contentConcurrency = 8

    /// Reads GitHub, stores the task (draft) and returns it.
    func generate(_ request: TaskManagerAPI.GenerateTaskRequest, progress: ProgressReporter) async throws -> TaskManagerAPI.GeneratedTask {
        let ref = try GitHubRepositoryRef(url: request.repoUrl)
        if request.issueNumber == nil && request.prNumber == nil {
            throw ServiceError.badRequest("give issueNumber or prNumber (or both)")
        }
        for number in [request.issueNumber, request.prNumber].compactMap({ $0 }) where number < 1 {
            throw ServiceError.badRequest("issueNumber and prNumber must be positive")
        }
        await progress.report(0.1, "fetching repository, issue and pull request")
        let source = try await fetch(ref, issueNumber: request.issueNumber, prNumber: request.prNumber, progress: progress)
        await progress.report(0.9, "storing task")
        let name = GitHubTaskFiles.name(source)
        let description = GitHubTaskFiles.description(source)
        let id = TaskID.make(name: "\(ref.owner)-\(ref.name)-" + (source.issue.map { "issue-\($0.number)" } ?? "pr-\(request.prNumber ?? 0)"))
        let stored = try await repository.create(name: name, description: description, files: GitHubTaskFiles.files(source, id: id), id: id)
        return TaskManagerAPI.GeneratedTask(id: stored.row.id, name: stored.row.name, description: stored.row.description, files: stored.files)
    }

    /// Everything the task needs from GitHub.
    func fetch(_ ref: GitHubRepositoryRef, issueNumber: Int?, prNumber: Int?, progress: ProgressReporter) async throws -> GitHubTaskSource {
        let base = "/repos/\(GitHubClient.escape(ref.owner))/\(GitHubClient.escape(ref.name))"
        async let repositoryCall = github.get(base, as: GitHubWire.Repository.self, what: "repository \(ref.fullName)")
        async let issueCall = issue(issueNumber, base: base, ref: ref)
        async let pullCall = pullRequest(prNumber, base: base, ref: ref)
        async let filesCall = changedFiles(base: base, number: prNumber, ref: ref, progress: progress)
        let repository = try await repositoryCall.value
        var issue = try await issueCall
        let pull = try await pullCall
        let changed = try await filesCall
        if let issue, issue.pullRequest != nil, prNumber == nil {
            throw ServiceError.badRequest("#\(issue.number) of \(ref.fullName) is a pull request: give it as prNumber")
        }

        // The problem statement: the issue the pull request closes, when it names one.
        let closedNumber = issue == nil ? pull.flatMap { Self.closedIssueNumber(in: $0.body) } : nil
        async let closedIssue = self.issue(closedNumber, base: base, ref: ref)
        async let headCommit = branchHead(pull == nil ? repository.defaultBranch : nil, base: base, ref: ref)
        let tests = changed.filter(TestFileRule.isTest)
        await progress.report(0.6, "fetching \(tests.count) test file\(tests.count == 1 ? "" : "s")")
        let testFiles = try await contents(of: tests.map(\.filename), at: pull?.head.sha ?? "", base: base, ref: ref)
        if let found = try? await closedIssue, found.pullRequest == nil { issue = found }
        let baseCommit: String
        if let pull { baseCommit = pull.base.sha } else { baseCommit = try await headCommit ?? "" }
        return GitHubTaskSource(ref: ref, repository: repository, issue: issue, pullRequest: pull, baseCommit: baseCommit, testFiles: testFiles)
    }

    /// Issue `number` (nil: none asked for).
    func issue(_ number: Int?, base: String, ref: GitHubRepositoryRef) async throws -> GitHubWire.Issue? {
        guard let number else { return nil }
        return try await github.get("\(base)/issues/\(number)", as: GitHubWire.Issue.self, what: "issue #\(number) of \(ref.fullName)").value
    }

    /// Pull request `number` (nil: none asked for).
    func pullRequest(_ number: Int?, base: String, ref: GitHubRepositoryRef) async throws -> GitHubWire.PullRequest? {
        guard let number else { return nil }
        return try await github.get("\(base)/pulls/\(number)", as: GitHubWire.PullRequest.self,
                                    what: "pull request #\(number) of \(ref.fullName)").value
    }

    /// The commit at the head of `branch` (nil: not needed).
    func branchHead(_ branch: String?, base: String, ref: GitHubRepositoryRef) async throws -> String? {
        guard let branch else { return nil }
        return try await github.get("\(base)/commits/\(GitHubClient.escapePath(branch))", as: GitHubWire.Commit.self,
                             what: "branch \(branch) of \(ref.fullName)").value.sha
    }

    /// A pull request's changed files, every page (none without a pull request).
    func changedFiles(base: String, number: Int?, ref: GitHubRepositoryRef, progress: ProgressReporter) async throws -> [GitHubWire.PullRequestFile] {
        guard let number else { return [] }
        let what = "files of pull request #\(number) of \(ref.fullName)"
        @Sendable func page(_ index: Int) async throws -> (value: [GitHubWire.PullRequestFile], headers: HTTPHeaders) {
            try await github.get("\(base)/pulls/\(number)/files?per_page=\(Self.pageSize)&page=\(index)",
                                 as: [GitHubWire.PullRequestFile].self, what: what)
        }
        let first = try await page(1)
        let link = GitHubLinkHeader(first.headers["Link"])
        var files = first.value
        if let last = link.lastPage.map({ min($0, Self.maxPages) }), last > 1 {
            await progress.report(0.4, "fetching changed files: \(last) pages")
            let pages = try await withThrowingTaskGroup(of: (Int, [GitHubWire.PullRequestFile]).self) { group in
                for index in 2...last { group.addTask { (index, try await page(index).value) } }
                var pages: [Int: [GitHubWire.PullRequestFile]] = [:]
                for try await (index, value) in group { pages[index] = value }
                return pages
            }
            for index in 2...last { files += pages[index] ?? [] }
        } else {
            var next = link.links["next"] != nil ? 2 : nil
            while let index = next, index <= Self.maxPages {
                let result = try await page(index)
                files += result.value
                next = GitHubLinkHeader(result.headers["Link"]).links["next"] != nil && !result.value.isEmpty ? index + 1 : nil
            }
        }
        return files
    }

    /// The texts of `paths` at commit `sha`, at most `contentConcurrency` calls at once, in
    /// the given order; files GitHub does not inline (over 1 MB) or that are not UTF-8 are left out.
    func contents(of paths: [String], at sha: String, base: String, ref: GitHubRepositoryRef) async throws -> [(path: String, text: String)] {
        if paths.isEmpty { return [] }
        let fetch: @Sendable (Int) async throws -> (Int, String?) = { [github] index in
            let content = try await github.get("\(base)/contents/\(GitHubClient.escapePath(paths[index]))?ref=\(GitHubClient.escape(sha))",
                                               as: GitHubWire.Content.self, what: "\(paths[index]) at \(sha) in \(ref.fullName)").value
            return (index, Self.text(of: content))
        }
        let texts = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            var results: [Int: String] = [:]
            var next = 0
            while next < min(paths.count, Self.contentConcurrency) {
                let index = next
                group.addTask { try await fetch(index) }
                next += 1
            }
            for try await (index, text) in group {
                if let text { results[index] = text }
                if next < paths.count {
                    let index = next
                    group.addTask { try await fetch(index) }
                    next += 1
                }
            }
            return results
        }
        return paths.indices.compactMap { index in texts[index].map { (paths[index], $0) } }
    }

    /// A contents answer's text (base64 with line breaks), or nil.
    static func text(of content: GitHubWire.Content) -> String? {
        guard content.type == "file", content.encoding == "base64", let encoded = content.content else { return nil }
        let compact = String(encoded.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) })
        guard let bytes = try? Base64.standard.decode(compact) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The issue number a pull request's text says it closes (`Fixes #12`, `closes #3`, `resolves #7`).
    static func closedIssueNumber(in body: String?) -> Int? {
        guard let body else { return nil }
        let words = ["close", "closes", "closed", "fix", "fixes", "fixed", "resolve", "resolves", "resolved"]
        let tokens = body.lowercased().split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == ":" })
        for (index, token) in tokens.enumerated().dropLast() where words.contains(String(token)) {
            let next = tokens[index + 1]
            if next.hasPrefix("#"), let number = Int(next.dropFirst().prefix { $0.isNumber }), number > 0 { return number }
        }
        return nil
    }
}
