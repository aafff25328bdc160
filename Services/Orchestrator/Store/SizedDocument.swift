import Contracts

/// A document whose JSON size can be estimated cheaply (without encoding it), to end a
/// page of a list before it grows past `LIST_PAGE_MAX_BYTES`. List fields dominate: a
/// learnuplet's `train_data` has `size_train_dataset` ids and its `test_data` the problem's
/// whole test set. An estimate: ids are counted at the length of the first one.
protocol SizedDocument {
    /// About how many bytes the document's JSON takes.
    var estimatedJSONBytes: Int { get }
}

extension Array where Element == String {
    /// About the JSON size of a list of ids (each quoted, comma-separated).
    var estimatedJSONBytes: Int { count * ((first?.utf8.count ?? 0) + 3) }
}

extension OrchestratorAPI.Problem: SizedDocument {
    var estimatedJSONBytes: Int { 160 + uuid.utf8.count + workflow.utf8.count + testDataset.estimatedJSONBytes }
}

extension OrchestratorAPI.Algo: SizedDocument {
    var estimatedJSONBytes: Int { 80 + uuid.utf8.count + problem.utf8.count + name.utf8.count }
}

extension OrchestratorAPI.Data: SizedDocument {
    var estimatedJSONBytes: Int { 60 + uuid.utf8.count + problems.estimatedJSONBytes }
}

extension OrchestratorAPI.Learnuplet: SizedDocument {
    /// Its id lists; once reported, its performances about double them (id and number each).
    var estimatedJSONBytes: Int {
        let lists = trainData.estimatedJSONBytes + testData.estimatedJSONBytes
        let performances = trainPerf == nil && testPerf == nil ? 0 : lists + 24 * (trainData.count + testData.count)
        return 400 + lists + performances
    }
}

extension OrchestratorAPI.Preduplet: SizedDocument {
    var estimatedJSONBytes: Int { 400 }
}
