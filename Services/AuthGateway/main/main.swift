import AuthGateway
import Foundation
import ServiceKit

let arguments = Array(CommandLine.arguments.dropFirst())
if let command = arguments.first, GatewayCLI.commands.contains(command) {
    // Management commands work on the same database the server uses (DATA_DIR).
    let config = Config(service: AuthGatewayService.name,
                        settings: Config.common(service: AuthGatewayService.name, port: AuthGatewayService.port) + AuthGatewayService.settings)
    let status: Int32
    do {
        let store = try await GatewayStore.open(path: try AuthGatewayService.databasePath(config))
        status = await GatewayCLI.run(arguments, store: store,
                                      out: { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) },
                                      err: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
        await store.close()
    } catch {
        FileHandle.standardError.write(Data("error: cannot open the database: \(error)\n".utf8))
        status = 1
    }
    exit(status)
}

await ServiceMain.run(service: AuthGatewayService.name, port: AuthGatewayService.port, settings: AuthGatewayService.settings,
                      usage: GatewayCLI.usage) { context in
    try await AuthGatewayService.build(context)
}
