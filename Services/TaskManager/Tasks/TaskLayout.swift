import Contracts

/// Harbor's layout for every stored task: whatever required file a task lacks gets its
/// default (`task.toml`, `instruction.md`, `environment/Dockerfile` unless the environment
/// has a compose file, `tests/test.sh`), plus the document's `tests/test.py`. Files the
/// user gave are kept as they are.
enum TaskLayout {
    typealias Key = TaskManagerAPI.FileKey

    /// `files` completed with defaults for a task `id` called `name`.
    static func completed(_ files: [String: String], id: String, name: String, description: String) -> [String: String] {
        var files = files
        if files[Key.taskConfig] == nil {
            files[Key.taskConfig] = TaskTemplates.taskConfig(id: id, description: description.isEmpty ? name : description)
        }
        if files[Key.instruction] == nil {
            files[Key.instruction] = TaskTemplates.instruction(name: name, description: description)
        }
        let hasEnvironment = files[Key.dockerfile] != nil || files["environment/docker-compose.yaml"] != nil
            || files["environment/docker-compose.yml"] != nil
        if !hasEnvironment { files[Key.dockerfile] = TaskTemplates.dockerfile }
        if files[Key.testPy] == nil { files[Key.testPy] = TaskTemplates.testPy }
        if files[Key.testScript] == nil { files[Key.testScript] = TaskTemplates.testScript() }
        return files
    }
}
