import Orchestrator
import ServiceKit

await ServiceMain.run(OrchestratorService.self)
