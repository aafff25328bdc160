/// Harbor 0.25's `TaskConfig` (harbor/models/task/config.py) as `TOMLSection`s: every key
/// of every table with the type its pydantic model expects.
enum HarborTaskSchema {
    typealias Field = TOMLSection.Field

    /// `network_mode`'s values.
    static let networkModes = TOMLFieldType.choice(["public", "no-network", "allowlist"])

    /// `[task]` (`PackageInfo`).
    static let task = TOMLSection(fields: [
        ("name", Field(type: .string, required: true)),
        ("version", Field(type: .string)),
        ("description", Field(type: .string)),
        ("authors", Field(type: .tables(TOMLSection(fields: [
            ("name", Field(type: .string, required: true)), ("email", Field(type: .string)),
        ])))),
        ("keywords", Field(type: .strings)),
    ])

    /// `healthcheck`.
    static let healthcheck = TOMLSection(fields: [
        ("command", Field(type: .string, required: true)),
        ("interval_sec", Field(type: .number)), ("timeout_sec", Field(type: .number)),
        ("start_period_sec", Field(type: .number)), ("start_interval_sec", Field(type: .number)),
        ("retries", Field(type: .integer)),
    ])

    /// `[environment]` (`EnvironmentConfig`), also `[verifier.environment]`.
    static let environment = TOMLSection(fields: [
        ("network_mode", Field(type: networkModes)),
        ("allowed_hosts", Field(type: .strings)),
        ("build_timeout_sec", Field(type: .number)),
        ("docker_image", Field(type: .string)),
        ("os", Field(type: .choice(["linux", "windows"]))),
        ("cpus", Field(type: .number)),
        ("memory_mb", Field(type: .integer)),
        ("storage_mb", Field(type: .integer)),
        ("gpus", Field(type: .integer)),
        ("gpu_types", Field(type: .strings)),
        ("tpu", Field(type: .table(TOMLSection(fields: [
            ("type", Field(type: .string, required: true)), ("topology", Field(type: .string, required: true)),
        ])))),
        ("mcp_servers", Field(type: .tables(TOMLSection(fields: [
            ("name", Field(type: .string, required: true)), ("transport", Field(type: .string)),
            ("url", Field(type: .string)), ("command", Field(type: .string)), ("args", Field(type: .strings)),
            ("headers", Field(type: .stringTable)),
        ])))),
        ("env", Field(type: .stringTable)),
        ("skills_dir", Field(type: .string)),
        ("healthcheck", Field(type: .table(healthcheck))),
        ("workdir", Field(type: .string)),
        ("allow_internet", Field(type: .boolean, replacement: "network_mode")),
        ("memory", Field(type: .string, replacement: "memory_mb")),
        ("storage", Field(type: .string, replacement: "storage_mb")),
    ])

    /// `[verifier]` (`VerifierConfig`).
    static let verifier = TOMLSection(fields: [
        ("network_mode", Field(type: networkModes)),
        ("allowed_hosts", Field(type: .strings)),
        ("timeout_sec", Field(type: .number)),
        ("env", Field(type: .stringTable)),
        ("user", Field(type: .user)),
        ("environment_mode", Field(type: .choice(["shared", "separate"]))),
        ("environment", Field(type: .table(environment))),
        ("collect", Field(type: .tables(TOMLSection(fields: [
            ("command", Field(type: .string, required: true)), ("service", Field(type: .string)),
            ("timeout_sec", Field(type: .number)), ("user", Field(type: .user)),
        ])))),
    ])

    /// `[agent]` (`AgentConfig`).
    static let agent = TOMLSection(fields: [
        ("network_mode", Field(type: networkModes)),
        ("allowed_hosts", Field(type: .strings)),
        ("timeout_sec", Field(type: .number)),
        ("user", Field(type: .user)),
    ])

    /// An artifact (`ArtifactConfig`).
    static let artifact = TOMLSection(fields: [
        ("source", Field(type: .string, required: true)), ("destination", Field(type: .string)),
        ("exclude", Field(type: .strings)), ("service", Field(type: .string)),
    ])

    /// The whole file (`TaskConfig`).
    static let root = TOMLSection(fields: [
        ("schema_version", Field(type: .string)),
        ("task", Field(type: .table(task))),
        ("metadata", Field(type: .anyTable)),
        ("verifier", Field(type: .table(verifier))),
        ("agent", Field(type: .table(agent))),
        ("environment", Field(type: .table(environment))),
        ("solution", Field(type: .table(TOMLSection(fields: [("env", Field(type: .stringTable))])))),
        ("source", Field(type: .string)),
        ("multi_step_reward_strategy", Field(type: .choice(["mean", "final"]))),
        ("steps", Field(type: .tables(TOMLSection(fields: [
            ("name", Field(type: .string, required: true)),
            ("agent", Field(type: .table(agent))),
            ("verifier", Field(type: .table(verifier))),
            ("min_reward", Field(type: .numberOrNumberTable)),
            ("healthcheck", Field(type: .table(healthcheck))),
            ("artifacts", Field(type: .stringsOrTables(artifact))),
        ])))),
        ("artifacts", Field(type: .stringsOrTables(artifact))),
        ("version", Field(type: .string, replacement: "schema_version")),
    ])
}
