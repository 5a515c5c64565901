"""The front-end's types follow the API: web/openapi.json, from which web/src/api-types.d.ts
is generated (``make web``; web/check.mjs in ``make test`` checks the .d.ts, the type check
and the bundle against it), is the app's own OpenAPI document."""

from __future__ import annotations

import json
from pathlib import Path

from amur.web import create_app
from amur.web.app import openapi_json

ROOT = Path(__file__).resolve().parents[2]


def test_committed_openapi_is_the_apps(tmp_path: Path) -> None:
    app = create_app(network="northeast-asia", store=tmp_path / "amur.sqlite")
    committed = (ROOT / "web" / "openapi.json").read_text(encoding="utf-8")
    assert committed == openapi_json(app), (
        "web/openapi.json is stale: run `make web` and commit web/openapi.json, "
        "web/src/api-types.d.ts and the bundle"
    )


def test_openapi_snapshot_leaves_out_only_the_version(tmp_path: Path) -> None:
    app = create_app(network="northeast-asia", store=tmp_path / "amur.sqlite")
    written = json.loads(openapi_json(app))
    full = app.openapi()
    assert "version" not in written["info"] and full["info"]["version"]
    assert written["paths"] == full["paths"]
    assert written["components"] == full["components"]
    assert "/api/flows.geojson" in written["paths"]


def test_every_api_path_has_a_client_function() -> None:
    """Each GET path of the API the page uses appears in web/src/api.js, and each path the
    client calls exists in the API."""
    import re

    paths = set(json.loads((ROOT / "web" / "openapi.json").read_text())["paths"])
    client = (ROOT / "web" / "src" / "api.js").read_text(encoding="utf-8")
    called = set(re.findall(r'"(/api/[a-z_./]+)', client)) | {
        p.replace("${encodeURIComponent(name)}", "{name}")
        for p in re.findall(r"`(/api/[^`]+)`", client)
    }
    assert called <= paths, called - paths
    used = {
        "/api/capabilities",
        "/api/network.geojson",
        "/api/places",
        "/api/route",
        "/api/scenarios/builtin",
        "/api/scenarios",
        "/api/scenarios/{name}",
        "/api/compare",
        "/api/regions",
        "/api/impact",
        "/api/flows",
        "/api/flows.geojson",
        "/api/projects",
        "/api/appraise",
    }
    assert used <= called, used - called
