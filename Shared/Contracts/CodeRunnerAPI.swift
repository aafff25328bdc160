/// code-runner's public API (seed 004, Auto-Analyst's code routes, and its spec): the
/// request and response bodies of `/code/execute`, `/code/edit`, `/code/fix`,
/// `/code/clean-code`, `/code/get-latest-code`, `/upload_dataframe` (multipart: `file`,
/// `name`, `description`) and `/reset-session`. Errors are `{"detail": "..."}`.
public enum CodeRunnerAPI {
    /// `POST /code/execute`.
    public struct ExecuteRequest: Sendable, Codable, Equatable {
        /// The Python code, blocks marked `# <name> code start` / `# <name> code end`.
        public var code: String?
        /// The analysis session (else `X-Session-ID`, `?session_id=`, the user's default).
        public var sessionID: String?
        /// Stores the code under this message for `/code/get-latest-code`.
        public var messageID: Int?

        enum CodingKeys: String, CodingKey { case code, sessionID = "session_id", messageID = "message_id" }

        /// A request.
        public init(code: String?, sessionID: String? = nil, messageID: Int? = nil) {
            self.code = code
            self.sessionID = sessionID
            self.messageID = messageID
        }
    }

    /// One block's part of an execute (an addition to the document's shape).
    public struct BlockResult: Sendable, Codable, Equatable {
        /// The block's name (`main` for code outside markers).
        public var name: String
        /// What the block printed to stdout.
        public var stdout: String
        /// What the block printed to stderr.
        public var stderr: String
        /// `Type: message` and `Problem at line N: <line>`, or nil when the block ran.
        public var error: String?

        /// A block's result.
        public init(name: String, stdout: String, stderr: String, error: String?) {
            self.name = name
            self.stdout = stdout
            self.stderr = stderr
            self.error = error
        }
    }

    /// `POST /code/execute`'s answer: always 200 for code that runs or fails.
    public struct ExecuteResponse: Sendable, Codable, Equatable {
        /// Every block's output, `=== OUTPUT FROM <name> ===` or `=== ERROR IN <name> ===` each.
        public var output: String
        /// Plotly figures shown (`fig.show()`), each the figure's JSON.
        public var plotlyOutputs: [String]
        /// Matplotlib figures shown (`plt.show()`), each a base64 PNG.
        public var matplotlibOutputs: [String]
        /// No block failed and the execute finished in time.
        public var isSuccessful: Bool
        /// The names of the blocks that raised.
        public var failedBlocks: [String]
        /// The execute ran past `EXEC_TIMEOUT_S`: the kernel was stopped.
        public var timedOut: Bool
        /// Each block's stdout, stderr and error.
        public var blocks: [BlockResult]

        enum CodingKeys: String, CodingKey {
            case output, plotlyOutputs = "plotly_outputs", matplotlibOutputs = "matplotlib_outputs"
            case isSuccessful = "is_successful", failedBlocks = "failed_blocks", timedOut = "timed_out", blocks
        }

        /// A response.
        public init(output: String, plotlyOutputs: [String] = [], matplotlibOutputs: [String] = [], isSuccessful: Bool,
                    failedBlocks: [String] = [], timedOut: Bool = false, blocks: [BlockResult] = []) {
            self.output = output
            self.plotlyOutputs = plotlyOutputs
            self.matplotlibOutputs = matplotlibOutputs
            self.isSuccessful = isSuccessful
            self.failedBlocks = failedBlocks
            self.timedOut = timedOut
            self.blocks = blocks
        }
    }

    /// `POST /code/edit`.
    public struct EditRequest: Sendable, Codable, Equatable {
        /// The code to edit.
        public var originalCode: String?
        /// What to change.
        public var userPrompt: String?
        /// The session whose dataset is described to the model.
        public var sessionID: String?
        /// Stores the edited code under this message.
        public var messageID: Int?

        enum CodingKeys: String, CodingKey {
            case originalCode = "original_code", userPrompt = "user_prompt", sessionID = "session_id", messageID = "message_id"
        }

        /// A request.
        public init(originalCode: String?, userPrompt: String?, sessionID: String? = nil, messageID: Int? = nil) {
            self.originalCode = originalCode
            self.userPrompt = userPrompt
            self.sessionID = sessionID
            self.messageID = messageID
        }
    }

    /// `POST /code/edit`'s answer; on an LLM failure the original code and `error`.
    public struct EditResponse: Sendable, Codable, Equatable {
        /// The edited code.
        public var editedCode: String
        /// Why the code is unchanged, when the model could not be used.
        public var error: String?

        enum CodingKeys: String, CodingKey { case editedCode = "edited_code", error }

        /// A response.
        public init(editedCode: String, error: String? = nil) {
            self.editedCode = editedCode
            self.error = error
        }
    }

    /// `POST /code/fix`.
    public struct FixRequest: Sendable, Codable, Equatable {
        /// The code that failed.
        public var code: String?
        /// The error (an execute's output, or any message).
        public var error: String?
        /// The session whose dataset scores the candidates.
        public var sessionID: String?
        /// Stores the fixed code under this message.
        public var messageID: Int?

        enum CodingKeys: String, CodingKey { case code, error, sessionID = "session_id", messageID = "message_id" }

        /// A request.
        public init(code: String?, error: String?, sessionID: String? = nil, messageID: Int? = nil) {
            self.code = code
            self.error = error
            self.sessionID = sessionID
            self.messageID = messageID
        }
    }

    /// `POST /code/fix`'s answer; on an LLM failure the original code and `error`.
    public struct FixResponse: Sendable, Codable, Equatable {
        /// The best code found (the original where no candidate ran better).
        public var fixedCode: String
        /// Why the code is unchanged, when the model could not be used.
        public var error: String?

        enum CodingKeys: String, CodingKey { case fixedCode = "fixed_code", error }

        /// A response.
        public init(fixedCode: String, error: String? = nil) {
            self.fixedCode = fixedCode
            self.error = error
        }
    }

    /// `POST /code/clean-code`.
    public struct CleanCodeRequest: Sendable, Codable, Equatable {
        /// The code to clean.
        public var code: String?

        /// A request.
        public init(code: String?) { self.code = code }
    }

    /// `POST /code/clean-code`'s answer.
    public struct CleanCodeResponse: Sendable, Codable, Equatable {
        /// The code with its top-level imports at the top.
        public var cleanedCode: String

        enum CodingKeys: String, CodingKey { case cleanedCode = "cleaned_code" }

        /// A response.
        public init(cleanedCode: String) { self.cleanedCode = cleanedCode }
    }

    /// `POST /code/get-latest-code`.
    public struct LatestCodeRequest: Sendable, Codable, Equatable {
        /// The message whose latest code is wanted.
        public var messageID: Int?

        enum CodingKeys: String, CodingKey { case messageID = "message_id" }

        /// A request.
        public init(messageID: Int?) { self.messageID = messageID }
    }

    /// `POST /code/get-latest-code`'s answer.
    public struct LatestCodeResponse: Sendable, Codable, Equatable {
        /// The latest code stored for the message.
        public var code: String

        /// A response.
        public init(code: String) { self.code = code }
    }

    /// `POST /upload_dataframe`'s and `POST /reset-session`'s answer.
    public struct DatasetResponse: Sendable, Codable, Equatable {
        /// What happened.
        public var message: String
        /// The session the dataset belongs to.
        public var sessionID: String
        /// The dataset's name.
        public var name: String
        /// Its description.
        public var description: String
        /// Rows.
        public var rows: Int
        /// Column names.
        public var columns: [String]

        enum CodingKeys: String, CodingKey { case message, sessionID = "session_id", name, description, rows, columns }

        /// A response.
        public init(message: String, sessionID: String, name: String, description: String, rows: Int, columns: [String]) {
            self.message = message
            self.sessionID = sessionID
            self.name = name
            self.description = description
            self.rows = rows
            self.columns = columns
        }
    }
}
