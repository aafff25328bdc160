/// predictor's public API (seed 000 and its spec). `/predict` also takes its fields as a
/// URL-encoded or multipart form (the original client); `/mass_upload` answers the plain
/// text `Successfully uploaded files to the bucket.`. Errors use `CodeDescriptionError`.
public enum PredictorAPI {
    /// `POST /predict` as a JSON object.
    public struct PredictRequest: Sendable, Codable, Equatable {
        /// The file, with one `<cursor>` marker.
        public var currentFile: String?
        /// How many completions (1–10, default 3); a number or a numeric string.
        public var n: String?
        /// `auto` (default), `ngram`, `symbols` or `llm`.
        public var model: String?
        /// The file's language (informational).
        public var language: String?

        enum CodingKeys: String, CodingKey { case currentFile = "current_file", n, model, language }

        /// A request.
        public init(currentFile: String?, n: Int? = nil, model: String? = nil, language: String? = nil) {
            self.currentFile = currentFile
            self.n = n.map(String.init)
            self.model = model
            self.language = language
        }

        /// Decodes `n` from a number or a string, as the original accepted both.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            currentFile = try container.decodeIfPresent(String.self, forKey: .currentFile)
            if let number = try? container.decodeIfPresent(Int.self, forKey: .n) {
                n = String(number)
            } else {
                n = try container.decodeIfPresent(String.self, forKey: .n)
            }
            model = try container.decodeIfPresent(String.self, forKey: .model)
            language = try container.decodeIfPresent(String.self, forKey: .language)
        }

        /// Encodes `n` as a number when it is one.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(currentFile, forKey: .currentFile)
            if let n, let number = Int(n) {
                try container.encode(number, forKey: .n)
            } else {
                try container.encodeIfPresent(n, forKey: .n)
            }
            try container.encodeIfPresent(model, forKey: .model)
            try container.encodeIfPresent(language, forKey: .language)
        }
    }

    /// `POST /predict` → `{"predictions": [...]}`, best first.
    public struct PredictResponse: Sendable, Codable, Equatable {
        /// Completions, each beginning with the identifier part already typed, one line at most.
        public var predictions: [String]

        /// A response.
        public init(predictions: [String]) { self.predictions = predictions }
    }

    /// `POST /mass_upload`: a workspace's files by relative path.
    public struct MassUploadRequest: Sendable, Codable, Equatable {
        /// The workspace name.
        public var workspace: String
        /// File contents by relative path.
        public var files: [String: String]

        /// A request.
        public init(workspace: String, files: [String: String]) {
            self.workspace = workspace
            self.files = files
        }
    }

    /// The text `/mass_upload` answers on success.
    public static let uploadedText = "Successfully uploaded files to the bucket."
}
