/// What `Subprocess.run` collected.
public struct SubprocessResult: Sendable, Equatable {
    /// How the child ended (after a timeout: killed, usually `signalled(9)`).
    public var status: ExitStatus
    /// Standard output, at most the run's output limit.
    public var standardOutput: [UInt8]
    /// Standard error, at most the run's output limit.
    public var standardError: [UInt8]
    /// Some output was dropped beyond the limit.
    public var outputTruncated: Bool
    /// The timeout passed before the child exited and its pipes closed; its process group
    /// was killed.
    public var timedOut: Bool

    /// Standard output as UTF-8 text (invalid bytes replaced).
    public var outputText: String { String(decoding: standardOutput, as: UTF8.self) }
    /// Standard error as UTF-8 text (invalid bytes replaced).
    public var errorText: String { String(decoding: standardError, as: UTF8.self) }
}
