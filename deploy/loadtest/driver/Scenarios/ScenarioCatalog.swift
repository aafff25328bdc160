/// Every scenario by name.
public enum ScenarioCatalog {
    /// The scenarios, in the order `run all` runs them.
    public static let all: [any Scenario] = [
        PredictorScenario(), TaskManagerScenario(), OrchestratorScenario(), AIBridgeScenario(), CodeRunnerScenario(),
    ]

    /// Their names.
    public static var names: [String] { all.map(\.name) }

    /// The scenario called `name`.
    public static func named(_ name: String) -> (any Scenario)? { all.first { $0.name == name } }
}
