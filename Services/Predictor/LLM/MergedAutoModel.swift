/// `auto` with an llm configured: the local models' candidates merged with the llm's when it
/// answers within its budget (the local work runs meanwhile). Local best first, then the two
/// lists interleaved, duplicates removed.
public struct MergedAutoModel: CompletionModel {
    /// Registry name (replaces the local `auto`).
    public let name = "auto"
    /// The local models.
    public let local: any CompletionModel
    /// The upstream.
    public let llm: LLMClient

    /// The merge of `local` and `llm`.
    public init(local: any CompletionModel, llm: LLMClient) {
        self.local = local
        self.llm = llm
    }

    /// Both lists, interleaved (local first), at most `n`.
    public func complete(_ ctx: CompletionContext, n: Int) async -> [Candidate] {
        let llm = self.llm
        async let remote = llm.complete(ctx, n: n)
        let localCandidates = await local.complete(ctx, n: n)
        let remoteCandidates = await remote ?? []
        return Self.merge(localCandidates, remoteCandidates, n: n)
    }

    /// `first` and `second` taken in turn (starting with `first`; the other once one runs
    /// out), empty and duplicate texts skipped, at most `n`.
    static func merge(_ first: [Candidate], _ second: [Candidate], n: Int) -> [Candidate] {
        var merged: [Candidate] = []
        var seen = Set<String>()
        var firstIndex = 0
        var secondIndex = 0
        while merged.count < n && (firstIndex < first.count || secondIndex < second.count) {
            let takeFirst = (merged.count % 2 == 0 && firstIndex < first.count) || secondIndex >= second.count
            let candidate: Candidate
            if takeFirst {
                candidate = first[firstIndex]
                firstIndex += 1
            } else {
                candidate = second[secondIndex]
                secondIndex += 1
            }
            if candidate.text.isEmpty || seen.contains(candidate.text) { continue }
            seen.insert(candidate.text)
            merged.append(candidate)
        }
        return merged
    }
}
