/// Why the benchmark cannot run.
enum BenchError: Error, CustomStringConvertible {
    /// The PostgreSQL schema holds some interceptions but fewer than asked (an interrupted
    /// load): drop schema `aibridge_query` and run again.
    case partialSchema(Int64)

    var description: String {
        switch self {
        case .partialSchema(let count):
            "schema aibridge_query holds \(count) interceptions, fewer than asked: DROP SCHEMA aibridge_query CASCADE and run again"
        }
    }
}
