import HTTPCore
import ServiceKit

extension TaskManagerRoutes {
    /// `/openapi.json`, `/docs` (Swagger UI), `/redoc` on the service as FastAPI serves them,
    /// and the same under `/api/` (how the gateway reaches them; those pages load `/api/openapi.json`).
    func registerDocs(on router: Router) {
        for prefix in ["", "/api"] {
            let documentURL = prefix + "/openapi.json"
            router.get(documentURL) { _ in .rawJSON(TaskManagerOpenAPI.bytes) }
            router.get(prefix + "/docs") { _ in Self.html(DocsPages.swaggerUI(openAPIURL: documentURL)) }
            router.get(prefix + "/redoc") { _ in Self.html(DocsPages.redoc(openAPIURL: documentURL)) }
        }
    }

    /// An HTML page.
    static func html(_ text: String) -> HTTPResponse {
        HTTPResponse(status: .ok, contentType: "text/html; charset=utf-8", body: Array(text.utf8))
    }
}
