import AuthGateway
import ServiceKit

await ServiceMain.run(service: AuthGatewayService.name, port: AuthGatewayService.port, settings: AuthGatewayService.settings) { context in
    try await AuthGatewayService.build(context)
}
