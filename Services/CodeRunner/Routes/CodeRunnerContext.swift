import ServiceKit

/// What every code-runner route uses: options, store, sessions, kernels, the assistant.
struct CodeRunnerContext: Sendable {
    /// The settings.
    let options: CodeRunnerOptions
    /// Sessions, datasets, code by message.
    let store: CodeRunnerStore
    /// Session resolution and ownership.
    let sessions: SessionResolver
    /// The kernels.
    let pool: KernelPool
    /// Edit and fix.
    let assistant: CodeAssistant
    /// Logs.
    let logger: Logger
    /// Metrics.
    let metrics: Metrics
}
