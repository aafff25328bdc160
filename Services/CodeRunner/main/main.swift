import CodeRunner
import ServiceKit

await ServiceMain.run(service: CodeRunnerService.name, port: CodeRunnerService.port, settings: CodeRunnerService.settings) { context in
    try await CodeRunnerService.build(context)
}
