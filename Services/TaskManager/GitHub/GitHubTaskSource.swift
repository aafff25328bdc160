/// Everything read from GitHub for one task.
struct GitHubTaskSource: Sendable {
    /// The repository as named by the client.
    var ref: GitHubRepositoryRef
    /// The repository.
    var repository: GitHubWire.Repository
    /// The issue stating the problem (given, or the one the pull request closes).
    var issue: GitHubWire.Issue?
    /// The pull request.
    var pullRequest: GitHubWire.PullRequest?
    /// The commit the environment checks out: the pull request's base, else the default branch's head.
    var baseCommit: String
    /// The pull request's changed test files at its head: path → text.
    var testFiles: [(path: String, text: String)]
}
