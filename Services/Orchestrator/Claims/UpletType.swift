/// The two kinds of work unit (the `{type}` of `/worker/{type}/{uuid}`, and their tables).
enum UpletType: String, Sendable {
    case learnuplet, preduplet
}
