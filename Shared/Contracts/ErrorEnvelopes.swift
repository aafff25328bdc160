/// Seed 000 (auth-gateway, predictor): `{"code": Int, "description": String}`.
public struct CodeDescriptionError: Codable, Sendable, Equatable {
    public var code: Int
    public var description: String
    public init(code: Int, description: String) { self.code = code; self.description = description }
}

/// FastAPI-style services (task-manager, code-runner): `{"detail": String}`.
public struct DetailError: Codable, Sendable, Equatable {
    public var detail: String
    public init(detail: String) { self.detail = detail }
}

/// coder's API (aibridge-query): `{"message", "detail", "validations"}`.
public struct CoderError: Codable, Sendable, Equatable {
    /// One failed field.
    public struct Validation: Codable, Sendable, Equatable {
        public var field: String
        public var detail: String
        public init(field: String, detail: String) { self.field = field; self.detail = detail }
    }
    public var message: String
    public var detail: String?
    public var validations: [Validation]?
    public init(message: String, detail: String? = nil, validations: [Validation]? = nil) {
        self.message = message
        self.detail = detail
        self.validations = validations
    }
}

/// Morpheo orchestrator: `{"Error": String}`.
public struct MorpheoError: Codable, Sendable, Equatable {
    public var error: String
    enum CodingKeys: String, CodingKey { case error = "Error" }
    public init(error: String) { self.error = error }
}

/// Health answer of every service: `{"status": "healthy"}`.
public struct HealthStatus: Codable, Sendable, Equatable {
    public var status: String
    public var services: [String: String]?
    public init(status: String, services: [String: String]? = nil) { self.status = status; self.services = services }
}
