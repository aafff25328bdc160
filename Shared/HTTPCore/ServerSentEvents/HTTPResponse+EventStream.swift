extension HTTPResponse {
    /// A `text/event-stream` response (`Cache-Control: no-cache`, chunked): `body` sends
    /// events through an `SSEWriter`. With `heartbeat`, a comment is also sent whenever
    /// that long passes without an event, so idle streams stay open through proxies; it
    /// stops when `body` returns.
    public static func eventStream(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), heartbeat: Duration? = nil,
                                   _ body: @escaping @Sendable (SSEWriter) async throws -> Void) -> HTTPResponse {
        var fields = headers
        fields.set("Content-Type", "text/event-stream")
        fields.set("Cache-Control", "no-cache")
        return HTTPResponse(status: status, headers: fields, body: .stream { writer in
            guard let heartbeat else {
                try await body(SSEWriter(writer))
                return
            }
            let activity = SSEActivity(writer)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: heartbeat)
                        if activity.idleSinceLastCheck() { try await SSEWriter(writer).comment("heartbeat") }
                    }
                }
                try await body(SSEWriter(activity))
                group.cancelAll()
            }
        })
    }
}
