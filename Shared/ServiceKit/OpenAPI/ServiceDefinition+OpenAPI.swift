import HTTPCore

extension ServiceDefinition {
    /// Serves `document` at each of its `servedAt` paths (`GET`, no credentials), encoded once.
    public mutating func serve(openAPI document: OpenAPIDocument) {
        let bytes = document.bytes
        for path in document.servedAt {
            router.get(path) { _ in .rawJSON(bytes) }
            if !publicPaths.contains(path) { publicPaths.append(path) }
        }
    }
}
