import TaskManager
import ServiceKit

await ServiceMain.run(service: TaskManagerService.name, port: TaskManagerService.port, settings: TaskManagerService.settings) { context in
    try await TaskManagerService.build(context)
}
