"""Write the web app's OpenAPI document to web/openapi.json (``make web`` runs it, then
generates web/src/api-types.d.ts from it and rebuilds the bundle)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from amur.web import create_app
from amur.web.app import openapi_json

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    """Write ``web/openapi.json`` (or the path given as the first argument)."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "web" / "openapi.json"
    with tempfile.TemporaryDirectory() as work:
        app = create_app(network="northeast-asia", store=Path(work) / "amur.sqlite")
        out.write_text(openapi_json(app), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
