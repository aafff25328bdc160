import Contracts
import JSON

extension ErrorEnvelope {
    /// The envelope's component schema name in an OpenAPI document.
    public var schemaName: String {
        switch self {
        case .codeDescription: "CodeDescriptionError"
        case .detail: "DetailError"
        case .coder: "codersdk.Response"
        case .morpheo: "MorpheoError"
        }
    }

    /// The envelope's schema, derived from its contract type (`Contracts/ErrorEnvelopes`).
    public var schema: JSONValue {
        switch self {
        case .codeDescription: OpenAPISchema.derived(CodeDescriptionError(code: 400, description: "what went wrong"))
        case .detail: OpenAPISchema.derived(DetailError(detail: "what went wrong"))
        case .coder:
            OpenAPISchema.derived(full: CoderError(message: "m", detail: "d", validations: [CoderError.Validation(field: "f", detail: "d")]),
                                  minimal: CoderError(message: "m"))
        case .morpheo: OpenAPISchema.derived(MorpheoError(error: "what went wrong"))
        }
    }
}
