import ServiceKit

/// Every code-runner route, registered in one place.
enum CodeRunnerRoutes {
    /// Registers the routes on `router`.
    static func register(on router: Router, context: CodeRunnerContext) {
        let execute = ExecuteRoute(context: context)
        let assistant = AssistantRoutes(context: context)
        let clean = CleanCodeRoute(context: context)
        let latest = LatestCodeRoute(context: context)
        let datasets = DatasetRoutes(context: context)
        router.post("/code/execute") { try await execute.handle($0) }
        router.post("/code/edit") { try await assistant.edit($0) }
        router.post("/code/fix") { try await assistant.fix($0) }
        router.post("/code/clean-code") { try await clean.handle($0) }
        router.post("/code/get-latest-code") { try await latest.handle($0) }
        router.post("/upload_dataframe") { try await datasets.upload($0) }
        router.post("/reset-session") { try await datasets.reset($0) }
    }
}
