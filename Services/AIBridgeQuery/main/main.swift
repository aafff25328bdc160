import AIBridgeQuery
import ServiceKit

await ServiceMain.run(AIBridgeQueryService.self)
