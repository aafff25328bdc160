// TaskManager
