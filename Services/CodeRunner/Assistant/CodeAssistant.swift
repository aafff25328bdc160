import Contracts
import ServiceKit

/// `/code/edit` and `/code/fix`: the model through the bridge, the dataset context from
/// the session's kernel, fix candidates scored in scratch kernels.
struct CodeAssistant: Sendable {
    /// The bridge, nil when `AIBRIDGE_URL` is empty.
    let bridge: BridgeClient?
    /// Where context comes from and candidates run.
    let pool: KernelPool
    /// The session datasets (copied into scratch kernels).
    let store: CodeRunnerStore
    /// Attempts per faulty block.
    let attempts: Int
    /// Logs each attempt.
    let logger: Logger
    /// Counts attempts and outcomes.
    let metrics: Metrics

    /// Who asked, for the bridge and the logs.
    struct Caller: Sendable {
        /// The caller.
        var identity: Identity
        /// The analysis session.
        var session: String
        /// The request id.
        var requestID: String
    }

    /// The edited code, or the original and why (the model could not be used).
    func edit(code: String, instruction: String, caller: Caller) async -> CodeRunnerAPI.EditResponse {
        guard let bridge else { return .init(editedCode: code, error: "Could not process the edit: no LLM is configured (AIBRIDGE_URL)") }
        let context = await datasetContext(session: caller.session)
        do {
            let answer = try await bridge.complete(Prompts.edit(code: code, instruction: instruction, context: context),
                                                   caller: caller.identity, bridgeSession: BridgeClient.newSession(),
                                                   requestID: caller.requestID)
            let edited = CodeExtraction.code(from: answer)
            guard !edited.isEmpty else { return .init(editedCode: code, error: "Could not process the edit: the model returned no code") }
            return .init(editedCode: edited)
        } catch {
            logger.warning("edit: LLM failed", requestID: caller.requestID, [("error", String(describing: error))])
            return .init(editedCode: code, error: "Could not process the edit: \(error)")
        }
    }

    /// The fixed code: each block the error blames (the whole code when it names none)
    /// fixed on its own, up to `attempts` candidates each, every candidate run in a
    /// scratch kernel with a copy of the session's dataset after the blocks before it; the
    /// first that runs is kept, else the last attempt (it saw every error).
    func fix(code: String, error: String, caller: Caller) async -> CodeRunnerAPI.FixResponse {
        guard let bridge else { return .init(fixedCode: code, error: "Could not fix the code: no LLM is configured (AIBRIDGE_URL)") }
        let context = await datasetContext(session: caller.session)
        let csv: String?
        do {
            csv = try await store.datasetCSV(session: caller.session)
        } catch {
            return .init(fixedCode: code, error: "Could not fix the code: the session's dataset could not be read")
        }
        var segments = CodeBlocks.split(code)
        var targets = CodeBlocks.failing(in: segments, error: error)
        var wholeCode = false
        if targets.isEmpty {
            segments = [CodeSegment(name: nil, body: code)]
            targets = [0]
            wholeCode = true
        }
        let bridgeSession = BridgeClient.newSession()
        for index in targets {
            let segment = segments[index]
            let blockError = segment.name.map { CodeBlocks.errorSection(for: $0, in: error) } ?? error
            var previous: (code: String, error: String)?
            var chosen: String?
            for attempt in 1...attempts {
                let answer: String
                do {
                    answer = try await bridge.complete(
                        Prompts.fix(block: segment.body, name: segment.name, error: blockError, context: context, previous: previous),
                        caller: caller.identity, bridgeSession: bridgeSession, requestID: caller.requestID)
                } catch {
                    logger.warning("fix: LLM failed", requestID: caller.requestID, [("error", String(describing: error))])
                    return .init(fixedCode: code, error: "Could not fix the code: \(error)")
                }
                let candidate = CodeExtraction.withoutMarkers(CodeExtraction.code(from: answer))
                let before = CodeBlocks.join(Array(segments[..<index]))
                let trial = segments[index].replacing(body: candidate)
                let outcome = await score(before: before, candidate: trial, csv: csv)
                metrics.increment("code_runner_fix_attempts_total", help: "Fix candidates scored",
                                  labels: [("runs", outcome.runs ? "yes" : "no")])
                logger.info("fix attempt", requestID: caller.requestID,
                            [("block", segment.name ?? "code"), ("attempt", attempt), ("runs", outcome.runs)])
                chosen = candidate
                if outcome.runs { break }
                previous = (candidate, outcome.error)
            }
            if let chosen { segments[index] = segments[index].replacing(body: chosen) }
        }
        return .init(fixedCode: wholeCode ? segments[0].body : CodeBlocks.join(segments))
    }

    /// Runs `before` and then the candidate block in a fresh scratch kernel: 1 (`runs`)
    /// when the candidate's block raised nothing.
    private func score(before: String, candidate: CodeSegment, csv: String?) async -> (runs: Bool, error: String) {
        let code = before.isEmpty ? candidate.text : before + "\n" + candidate.text
        do {
            let reply = try await pool.withScratchKernel(csv: csv) { kernel in try await kernel.run(.execute(code)) }
            let blocks = reply.blocks ?? []
            // The candidate is the last block run (its name, or `main` outside markers).
            guard let last = blocks.last else { return (false, reply.error ?? "nothing ran") }
            if let failure = last.error { return (false, failure) }
            return (true, "")
        } catch let error as KernelError {
            return (false, error.description)
        } catch {
            return (false, String(describing: error))
        }
    }

    /// The session's dataset described (its kernel's current `df`).
    func datasetContext(session: String) async -> String {
        if let reply = try? await pool.run(.context, session: session), let context = reply.context { return context }
        return "Dataset context: unavailable."
    }
}
