import AIBridgeQuery
import ServiceKit

await ServiceMain.run(service: AIBridgeQueryService.name, port: AIBridgeQueryService.port, settings: AIBridgeQueryService.settings) { context in
    try await AIBridgeQueryService.build(context)
}
