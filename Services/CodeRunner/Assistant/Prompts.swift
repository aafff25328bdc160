import LLMWire

/// The messages sent to the model for an edit and for one fix attempt.
enum Prompts {
    /// What every prompt says about where the code runs.
    static let environment = """
        The code runs in a Python kernel where `df` (a pandas DataFrame: the user's dataset), `pd` (pandas), \
        `np` (numpy), `px` (plotly.express), `go` (plotly.graph_objects) and `plt` (matplotlib.pyplot) are ready. \
        Figures are shown with fig.show() (plotly) or plt.show() (matplotlib). The code has no network and \
        cannot read files other than its own.
        """

    /// `/code/edit`: the whole code back, edited.
    static func edit(code: String, instruction: String, context: String) -> [ChatMessage] {
        [
            .system("""
                You edit Python data-analysis code as the user asks. \(environment) \
                Keep every block marker line (`# <name> code start` / `# <name> code end`) exactly as it is. \
                Answer with the complete edited code only, in one ```python fenced block.
                """),
            .user("""
                \(context)

                Code:
                ```python
                \(code)
                ```

                Edit: \(instruction)
                """),
        ]
    }

    /// `/code/fix`: one block, with the error it raised (and the previous attempt's when
    /// there was one).
    static func fix(block: String, name: String?, error: String, context: String,
                    previous: (code: String, error: String)?) -> [ChatMessage] {
        var user = """
            \(context)

            The block\(name.map { " `\($0)`" } ?? "") below fails:
            ```python
            \(block)
            ```

            Error:
            \(error)
            """
        if let previous {
            user += """


                Your previous fix still fails:
                ```python
                \(previous.code)
                ```
                It raised:
                \(previous.error)
                """
        }
        return [
            .system("""
                You fix one block of Python data-analysis code. \(environment) \
                Change only what the error needs; keep the block's purpose. Do not include block marker lines. \
                Answer with the fixed block only, in one ```python fenced block.
                """),
            .user(user),
        ]
    }
}
