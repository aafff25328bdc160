import Orchestrator
import ServiceKit

await ServiceMain.run(service: OrchestratorService.name, port: OrchestratorService.port, settings: OrchestratorService.settings) { context in
    try await OrchestratorService.build(context)
}
