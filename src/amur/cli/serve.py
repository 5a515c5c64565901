"""`amur serve`: the map page and the HTTP API."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from amur.cli._app import (
    NetworkOpt,
    app,
    out,
)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    store: Annotated[
        Path | None,
        typer.Option(
            help="SQLite file for scenarios and runs ($AMUR_STORE, else the user data folder)."
        ),
    ] = None,
    network: NetworkOpt = "northeast-asia",
) -> None:
    """Serve the map page and the HTTP API (http://HOST:PORT, API docs at /docs)."""
    from amur.web import serve as serve_web
    from amur.web.store import Store, default_store_path

    Store(store or default_store_path())  # a damaged store: one line, before anything else
    out.print(f"amur: serving {network} on http://{host}:{port}")
    serve_web(host=host, port=port, store=store, network=network)
