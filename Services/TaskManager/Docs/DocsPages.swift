/// The interactive documentation pages, as FastAPI serves them: Swagger UI and ReDoc loaded
/// from the jsDelivr CDN, pointed at the OpenAPI document's URL (`/openapi.json` on the
/// service, `/api/openapi.json` through the gateway).
enum DocsPages {
    /// The page title's start.
    static let title = "SeekingData Backend API"

    /// Swagger UI for the document at `openAPIURL`.
    static func swaggerUI(openAPIURL: String) -> String {
        """
        <!DOCTYPE html>
        <html>
        <head>
        <link type="text/css" rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css">
        <link rel="shortcut icon" href="https://fastapi.tiangolo.com/img/favicon.png">
        <title>\(title) - Swagger UI</title>
        </head>
        <body>
        <div id="swagger-ui">
        </div>
        <script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
        <script>
        const ui = SwaggerUIBundle({
            url: '\(openAPIURL)',
            "dom_id": "#swagger-ui",
            "layout": "BaseLayout",
            "deepLinking": true,
            "showExtensions": true,
            "showCommonExtensions": true,
            presets: [
                SwaggerUIBundle.presets.apis,
                SwaggerUIBundle.SwaggerUIStandalonePreset
            ],
        })
        </script>
        </body>
        </html>
        """
    }

    /// ReDoc for the document at `openAPIURL`.
    static func redoc(openAPIURL: String) -> String {
        """
        <!DOCTYPE html>
        <html>
        <head>
        <title>\(title) - ReDoc</title>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link href="https://fonts.googleapis.com/css?family=Montserrat:300,400,700|Roboto:300,400,700" rel="stylesheet">
        <link rel="shortcut icon" href="https://fastapi.tiangolo.com/img/favicon.png">
        <style>
          body {
            margin: 0;
            padding: 0;
          }
        </style>
        </head>
        <body>
        <noscript>
            ReDoc requires Javascript to function. Please enable it to browse the documentation.
        </noscript>
        <redoc spec-url="\(openAPIURL)"></redoc>
        <script src="https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"> </script>
        </body>
        </html>
        """
    }
}
