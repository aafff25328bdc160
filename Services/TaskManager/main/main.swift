import TaskManager
import ServiceKit

await ServiceMain.run(TaskManagerService.self)
