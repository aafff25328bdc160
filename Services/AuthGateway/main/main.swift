import AuthGateway
import Foundation
import ServiceKit

let arguments = Array(CommandLine.arguments.dropFirst())
if let command = arguments.first, GatewayCLI.commands.contains(command) {
    // Management commands work on the same database the server uses (DATABASE_URL, else DATA_DIR).
    umask(0o077)
    let config = AuthGatewayService.config(environment: ProcessInfo.processInfo.environment)
    let status: Int32
    do {
        let store = try await GatewayStore.open(try AuthGatewayOptions.databaseLocation(config), poolSize: 1)
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

await ServiceMain.run(AuthGatewayService.self)
