import ServiceKit
import Synchronization

/// `aibridge_input_tokens_total` and `aibridge_output_tokens_total` by provider and model:
/// the tokens of every recorded call, counted once the store has them. Model names come
/// from callers, so at most `maxModels` distinct ones get series of their own; later ones
/// are counted under `model="other"`.
final class TokenCounters: Sendable {
    /// The input and output cells of one provider and model.
    private struct Pair {
        let input: MetricCell
        let output: MetricCell
    }

    /// The most distinct (provider, model) series.
    static let maxModels = 100
    /// The model label beyond `maxModels`.
    static let otherModel = "other"

    private let metrics: Metrics
    private let pairs = Mutex<[String: Pair]>([:])

    /// Counters registered in `metrics` (on first use of each provider and model).
    init(metrics: Metrics) { self.metrics = metrics }

    /// Adds one call's tokens.
    func count(provider: String, model: String, inputTokens: Int64, outputTokens: Int64) {
        let pair = self.pair(provider: provider, model: model)
        pair.input.add(Double(inputTokens))
        pair.output.add(Double(outputTokens))
    }

    private func pair(provider: String, model: String) -> Pair {
        pairs.withLock { pairs in
            let key = provider + "\u{0}" + model
            if let known = pairs[key] { return known }
            let label = pairs.count < Self.maxModels ? model : Self.otherModel
            let otherKey = provider + "\u{0}" + Self.otherModel
            if label == Self.otherModel, let other = pairs[otherKey] { return other }
            let labels = [("provider", provider), ("model", label)]
            let made = Pair(input: metrics.counter("aibridge_input_tokens_total", help: "Input (prompt) tokens of recorded calls",
                                                   labels: labels),
                            output: metrics.counter("aibridge_output_tokens_total", help: "Output (completion) tokens of recorded calls",
                                                    labels: labels))
            pairs[label == model ? key : otherKey] = made
            return made
        }
    }
}
