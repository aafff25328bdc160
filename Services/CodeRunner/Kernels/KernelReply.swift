import Contracts

/// A kernel's answer to any command: `ok` and the fields of the command's answer.
struct KernelReply: Decodable, Sendable {
    /// The command was carried out (a failing block is still `ok`).
    var ok: Bool
    /// Why not.
    var error: String?
    /// `load`, `inspect`: rows.
    var rows: Int?
    /// `load`, `inspect`: column names.
    var columns: [String]?
    /// `context`: the dataset described.
    var context: String?
    /// `clean`: the cleaned code.
    var code: String?
    /// `execute`: every block's output.
    var output: String?
    /// `execute`: plotly figures as JSON.
    var plotlyOutputs: [String]?
    /// `execute`: matplotlib figures as base64 PNG.
    var matplotlibOutputs: [String]?
    /// `execute`: no block failed.
    var isSuccessful: Bool?
    /// `execute`: the failed blocks' names.
    var failedBlocks: [String]?
    /// `execute`: each block.
    var blocks: [CodeRunnerAPI.BlockResult]?

    enum CodingKeys: String, CodingKey {
        case ok, error, rows, columns, context, code, output, plotlyOutputs = "plotly_outputs"
        case matplotlibOutputs = "matplotlib_outputs", isSuccessful = "is_successful", failedBlocks = "failed_blocks", blocks
    }

    /// The execute response this reply makes.
    var executeResponse: CodeRunnerAPI.ExecuteResponse {
        CodeRunnerAPI.ExecuteResponse(output: output ?? error ?? "", plotlyOutputs: plotlyOutputs ?? [],
                                      matplotlibOutputs: matplotlibOutputs ?? [], isSuccessful: ok && (isSuccessful ?? false),
                                      failedBlocks: failedBlocks ?? [], blocks: blocks ?? [])
    }
}
