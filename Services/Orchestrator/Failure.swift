import ServiceKit

/// The orchestrator's error messages, verbatim from the original API.
enum Failure {
    /// A required key is missing or has the wrong type.
    static var wrongKey: ServiceError { .badRequest("wrong key in posted data") }
    /// /algo or /data names an unknown problem.
    static var noRelatedProblem: ServiceError { .badRequest("non-existing related problem") }
    /// prediction.data is not a string.
    static var dataNotUUID: ServiceError { .badRequest("data field should be an UUID") }
    /// /prediction has nothing to predict with.
    static var noModel: ServiceError { .badRequest("no problem or trained model") }
    /// Unknown collection, uplet type or uuid.
    static var pageNotFound: ServiceError { .notFound("Page does not exist") }
    /// A uuid that is already stored.
    static var alreadyExists: ServiceError { .conflict("already exists") }
    /// The body is not a JSON object.
    static var notAnObject: ServiceError { .badRequest("request body must be a JSON object") }
    /// A claim that lost (or came too late).
    static func workerNotSet(_ type: UpletType, _ id: String) -> ServiceError {
        .badRequest("worker not set for \(type.rawValue) \(id). Might be already pending")
    }
    /// A done/failed report on an uplet that is not pending.
    static func noUpdate(_ type: UpletType, _ id: String) -> ServiceError {
        .badRequest("no update of \(type.rawValue) \(id)")
    }
    /// A `POST /data` or `POST /algo` that would create more learnuplets than one request may.
    static func tooManyLearnuplets(_ count: Int, maximum: Int, route: LearnupletBudget.Route) -> ServiceError {
        let advice = route == .data ? "send fewer data ids per request" : "ask the operator to raise MAX_NEW_LEARNUPLETS"
        return .tooLarge("this request would create \(count) learnuplets, more than the \(maximum) one request may create: \(advice)")
    }
    /// A `limit` or `after` query parameter that is not a whole number in range.
    static func badPaging(_ name: String) -> ServiceError {
        .badRequest("\(name) must be a whole number" + (name == "limit" ? " of at least 1" : " (from a Link rel=\"next\")"))
    }
}
