import Testing
@testable import Predictor

/// The base model's cache file is found again after a restart or an upgrade only if its
/// name does not change. These names were produced by the predictor's own FNV-1a before it
/// moved to `Crypto.FNV1a64` (lowercase hex without leading zeros: see "/a").
@Test(arguments: [
    ("python3-stdlib", "base-b2506b1a48aab467.ngram"),
    ("/srv/corpus", "base-a1a8be760354b680.ngram"),
    ("/home/ünï/py corpus", "base-8d23985d3ccab281.ngram"),
    ("/a", "base-7d66707b49cd92d.ngram"),
])
func baseCacheFileNameIsUnchanged(corpusKey: String, fileName: String) {
    #expect(PredictorService.baseCacheFileName(corpusKey: corpusKey) == fileName)
}
