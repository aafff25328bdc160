/// The parts of GitHub REST API answers the generator reads (unknown keys ignored).
enum GitHubWire {
    /// `GET /repos/{owner}/{repo}`.
    struct Repository: Decodable, Sendable {
        /// `owner/repo` as GitHub spells it.
        var fullName: String
        /// The repository's description.
        var description: String?
        /// The default branch.
        var defaultBranch: String
        /// The main language.
        var language: String?

        enum CodingKeys: String, CodingKey {
            case fullName = "full_name", description, defaultBranch = "default_branch", language
        }
    }

    /// `GET /repos/{owner}/{repo}/issues/{number}` (a pull request is an issue too).
    struct Issue: Decodable, Sendable {
        /// The number.
        var number: Int
        /// The title.
        var title: String
        /// The text.
        var body: String?
        /// Present when the issue is a pull request.
        var pullRequest: PullRequestLink?

        /// The marker GitHub puts on issues that are pull requests.
        struct PullRequestLink: Decodable, Sendable {
            /// Its API URL.
            var url: String?
        }

        enum CodingKeys: String, CodingKey { case number, title, body, pullRequest = "pull_request" }
    }

    /// `GET /repos/{owner}/{repo}/pulls/{number}`.
    struct PullRequest: Decodable, Sendable {
        /// The number.
        var number: Int
        /// The title.
        var title: String
        /// The text.
        var body: String?
        /// Where it merges into.
        var base: Ref
        /// What it brings.
        var head: Ref

        /// A branch and commit.
        struct Ref: Decodable, Sendable {
            /// The commit.
            var sha: String
            /// The branch.
            var ref: String?
        }
    }

    /// One entry of `GET /repos/{owner}/{repo}/pulls/{number}/files`.
    struct PullRequestFile: Decodable, Sendable {
        /// The path.
        var filename: String
        /// `added`, `modified`, `removed`, `renamed`, …
        var status: String
    }

    /// `GET /repos/{owner}/{repo}/commits/{ref}`.
    struct Commit: Decodable, Sendable {
        /// The commit's id.
        var sha: String
    }

    /// `GET /repos/{owner}/{repo}/contents/{path}?ref=` for a file.
    struct Content: Decodable, Sendable {
        /// `file`, `dir`, `symlink`, `submodule`.
        var type: String
        /// `base64` (or `none` for files over 1 MB).
        var encoding: String?
        /// The bytes, base64 with line breaks.
        var content: String?
    }

    /// An error answer's body.
    struct ErrorBody: Decodable, Sendable {
        /// GitHub's message.
        var message: String?
    }
}
