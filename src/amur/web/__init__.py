"""HTTP API and the map page: ``amur serve``.

The API is thin (STYLE.md rule 1): each endpoint parses its query, calls one library function
and answers JSON. User scenarios and saved runs live in a SQLite store. FastAPI and uvicorn
are imported only here and below, never by ``import amur``.

An app for a server of your own (it creates the store file)::

    from amur.web import create_app
    app = create_app(network="northeast-asia", store="amur.sqlite")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from amur.web.app import create_app, serve
    from amur.web.store import Store, default_store_path

__all__ = ["Store", "create_app", "default_store_path", "serve"]


def __getattr__(name: str) -> Any:
    if name in ("create_app", "serve"):
        from amur.web import app

        return getattr(app, name)
    if name in ("Store", "default_store_path"):
        from amur.web import store

        return getattr(store, name)
    raise AttributeError(f"module 'amur.web' has no attribute {name!r}")
