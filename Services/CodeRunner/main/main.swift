import CodeRunner
import ServiceKit

await ServiceMain.run(CodeRunnerService.self)
