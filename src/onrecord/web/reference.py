"""``/docs``: the API reference as a plain page, read from the app's OpenAPI schema.

FastAPI's interactive docs load scripts from a CDN, which the pages' Content-Security-
Policy (and an offline newsroom) rule out; this page needs neither.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse

from onrecord.web.common import Site


def endpoints(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Each operation: method, path, summary, description and parameters."""
    out = []
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "description": p.get("description") or p.get("schema", {})
                       .get("description", ""),
                       "type": _type(p.get("schema", {}))} for p in op.get("parameters", [])]
            out.append({"method": method.upper(), "path": path,
                        "summary": op.get("summary", ""),
                        "description": op.get("description", ""), "params": params,
                        "body": "requestBody" in op, "tags": op.get("tags", [])})
    return out


def _type(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    return str(schema.get("format") or schema.get("type") or "")


def router(site: Site, app: FastAPI) -> APIRouter:
    pages = APIRouter(include_in_schema=False)

    @pages.get("/docs", response_class=HTMLResponse)
    def docs_page() -> HTMLResponse:
        return site.page("docs.html", ops=endpoints(app.openapi()), title=app.title,
                         description=app.description)

    return pages
