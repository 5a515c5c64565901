"""The command line: ``amur places``, ``route``, ``corridors``, ``compare``, ``scenarios``,
``check-claims``, ``impact``, ``appraise``, ``assign``, ``estimate-demand``, ``services``,
``serve``, ``data`` (``data sources``, ``data audit``), ``import osm`` and ``sweep``.

Thin by design: one module per command, each parsing its options, calling one library
function and formatting the answer as a Rich table or JSON. Every error a user can cause is
printed as one line on standard error with exit code 2 (:func:`main`).
"""

from amur.cli import (  # noqa: F401  (importing a command module registers its command)
    appraise,
    assign,
    audit,
    claims,
    compare,
    corridors,
    data,
    data_demand,
    demand,
    impact,
    importer,
    places,
    route,
    scenarios,
    serve,
    services,
    sweep,
)
from amur.cli._app import app
from amur.cli._main import main

__all__ = ["app", "main"]
