"""The FastAPI application: the API, its error answers, the map page and its static assets."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from amur.errors import AmurError
from amur.options import QUERY_DOMAINS, check
from amur.web import analyses, flows, services
from amur.web.api import ServerState, router
from amur.web.store import ConflictError, NotFoundError, Store, default_store_path

STATIC = Path(__file__).parent / "static"
#: Largest request body accepted (a scenario upload), bytes.
MAX_BODY_BYTES = 1_000_000


def create_app(
    network: str = "northeast-asia",
    store: Store | str | os.PathLike[str] | None = None,
) -> FastAPI:
    """The amur web application.

    Parameters
    ----------
    network : str
        Built-in dataset name or network folder, loaded once (as ``amur.load`` does).
    store : Store or path, optional
        The store of scenarios and runs; ``$AMUR_STORE`` or the user's data folder if absent.

    Returns
    -------
    fastapi.FastAPI

    Raises
    ------
    InputError
        If the network cannot be loaded.
    """
    from amur.data import load

    state = ServerState(
        network=load(network),
        store=store if isinstance(store, Store) else Store(store or default_store_path()),
        dataset=network,
    )
    app = FastAPI(
        title="amur",
        summary="Freight corridor model: routes, network, scenarios, comparison, market "
        "access and appraisal over HTTP.",
        version=_version(),
        docs_url=None,
        redoc_url=None,
    )
    app.state.amur = state
    app.include_router(analyses.router)  # first: /api/scenarios/builtin before {name}
    app.include_router(flows.router)
    app.include_router(router)
    app.include_router(services.router)
    app.add_exception_handler(AmurError, _amur_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _offline_docs(app)

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    return app


#: Where the API docs page finds Swagger UI's script and style (Swagger UI 5, which reads
#: FastAPI's OpenAPI 3.1, served from the files of the swagger-ui-py package: the page
#: works with no network).
DOCS_ASSETS = "/docs-assets"


def _offline_docs(app: FastAPI) -> None:
    """``/docs``: Swagger UI from files in the installed package, never from a CDN."""
    import importlib.util

    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse

    spec = importlib.util.find_spec("swagger_ui")  # its files only; no import of its code
    if spec is None or spec.origin is None:  # pragma: no cover - a dependency of amur
        raise RuntimeError("swagger-ui-py is missing: pip install swagger-ui-py")
    assets = Path(spec.origin).parent / "static"
    app.mount(DOCS_ASSETS, StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="amur API",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png",
        )


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    store: str | os.PathLike[str] | None = None,
    network: str = "northeast-asia",
) -> None:
    """Run the web application with uvicorn until interrupted (``amur serve``)."""
    import uvicorn

    app = create_app(network=network, store=store)
    uvicorn.run(app, host=host, port=port, log_level="info")


def openapi_json(app: FastAPI) -> str:
    """The app's OpenAPI document as the front-end's types are generated from it
    (``web/openapi.json``, then ``web/src/api-types.d.ts``): JSON indented by 2, without
    ``info.version``, so that a release does not change the types.
    """
    import json

    document = app.openapi()
    info = {k: v for k, v in document["info"].items() if k != "version"}
    return json.dumps({**document, "info": info}, indent=2, ensure_ascii=False) + "\n"


def _version() -> str:
    from amur import __version__

    return __version__


def _error(status: int, detail: str, field: str | None) -> JSONResponse:
    return JSONResponse({"detail": detail, "field": field}, status_code=status)


def _amur_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AmurError)
    status = (
        404 if isinstance(exc, NotFoundError) else 409 if isinstance(exc, ConflictError) else 422
    )
    detail = exc.message
    if exc.field and not detail.startswith(f"{exc.field}:"):
        detail = f"{exc.field}: {detail}"
    return _error(status, detail, exc.field)


def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first: dict[str, Any] = exc.errors()[0] if exc.errors() else {}
    names = [str(p) for p in first.get("loc", ()) if isinstance(p, str)]
    field = names[-1] if len(names) > 1 else "body" if names == ["body"] else None
    domain = QUERY_DOMAINS.get(field or "")
    if domain is not None and "input" in first:
        try:  # the message the command line and the Python API give for this value
            check(domain, first["input"], field)
        except AmurError as refused:
            return _error(422, refused.message, field)
    return _error(422, f"{field or 'request'}: {first.get('msg', 'invalid input')}", field)


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:  # a body that is not UTF-8 JSON: bad input like any other
        return _error(422, f"body: {exc.detail}", "body")
    return _error(exc.status_code, str(exc.detail), getattr(exc, "field", None))


class BodyTooLarge(StarletteHTTPException):
    """A request body over the limit (answered 413, field ``body``)."""

    field = "body"


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, by header or as they stream."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass a request on, or answer it with the limit's error (ASGI)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        message = f"body: the request body is over the limit of {self.limit:,} bytes"
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            await _error(413, message, "body")(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            incoming = await receive()
            if incoming["type"] == "http.request":
                received += len(incoming.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(413, message)
            return incoming

        await self.app(scope, limited, send)
