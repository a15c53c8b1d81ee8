"""The API explorer (Swagger UI) served without inline script, so the same
Content-Security-Policy holds on `/schema/docs` as on every other page."""

from __future__ import annotations

from html import escape
from typing import Any

from litestar import Request
from litestar.openapi.plugins import SwaggerRenderPlugin

INIT_JS = "/static/js/swagger-init.js"


class StaticSwaggerRenderPlugin(SwaggerRenderPlugin):
    """Litestar's Swagger page embeds the schema and the start-up code in a `<script>`;
    this one loads the schema from its URL and starts from a static file."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        title = escape(str(openapi_schema.get("info", {}).get("title", "API")))
        schema_url = escape(f"{request.app.openapi_config.path}/openapi.json")  # type: ignore[union-attr]
        return f"""<!DOCTYPE html><html><head>
<title>{title}</title>
{self.favicon}
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link href="{self.css_url}" rel="stylesheet">
<script src="{self.js_url}" crossorigin></script>
<script src="{self.standalone_preset_js_url}" crossorigin></script>
<script src="{INIT_JS}"></script>
</head><body>
<div id="swagger-container" data-schema-url="{schema_url}"></div>
</body></html>""".encode()
