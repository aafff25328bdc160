import JSON

/// `GET /docs`: Swagger UI loaded from the jsDelivr CDN (as FastAPI serves it), with a
/// selector over every service's document (`/openapi/<service>.json`).
enum GatewayDocsPage {
    /// The page, listing `services` (the first one shown first).
    static func html(services: [String]) -> String {
        let urls = JSONValue.array(services.map { service in
            .object(["name": .string(service), "url": .string(GatewayOpenAPI.documentPath(service))])
        }).serializedText
        return """
        <!DOCTYPE html>
        <html>
        <head>
        <meta charset="utf-8">
        <link type="text/css" rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css">
        <title>AI developer tools backend - Swagger UI</title>
        </head>
        <body>
        <div id="swagger-ui">
        </div>
        <script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
        <script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-standalone-preset.js"></script>
        <script>
        const ui = SwaggerUIBundle({
            urls: \(urls),
            "dom_id": "#swagger-ui",
            "layout": "StandaloneLayout",
            "deepLinking": true,
            "persistAuthorization": true,
            presets: [
                SwaggerUIBundle.presets.apis,
                SwaggerUIStandalonePreset
            ],
        })
        </script>
        </body>
        </html>
        """
    }
}
