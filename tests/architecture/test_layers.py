"""The package's layers go one way (DESIGN.md), and no module imports itself back.

Every import is counted, those inside functions included: a function-level import hides a
cycle from the interpreter, not from a reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[2] / "src"

#: Layer of each top-level part of the package: a module may import its own layer and the
#: layers below it, never one above.
LAYERS: dict[str, int] = {
    "errors": 0,
    "options": 0,
    "network": 1,
    "io": 2,
    "graph": 2,
    "data": 3,
    "paths": 4,
    "assign": 4,
    "scenarios": 5,
    "demand": 6,
    "analysis": 7,
    "impact": 7,
    "sweep": 8,
    "report": 9,
    "web": 10,
    "cli": 10,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, name: str) -> set[str]:
    """The amur modules a file imports, at any depth of its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return {m for m in found if m == "amur" or m.startswith("amur.")}


def import_graph() -> nx.DiGraph:
    modules = {module_name(p): p for p in SRC.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        for target in imports(path, name):
            while target not in modules and "." in target:  # `from pkg import name`
                target = target.rpartition(".")[0]
            if target in modules and target != name:
                graph.add_edge(name, target)
    return graph


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {
        p.name.removesuffix(".py")
        for p in (SRC / "amur").iterdir()
        if not p.name.startswith("_") and (p.is_dir() or p.suffix == ".py")
    }
    parts.discard("py.typed")
    assert parts - set(LAYERS) == set(), "add new parts of the package to LAYERS"


def test_no_upward_imports() -> None:
    upward = [
        f"{a} -> {b}"
        for a, b in import_graph().edges
        if layer(a) is not None and layer(b) is not None and layer(b) > layer(a)
    ]  # type: ignore[operator]
    assert upward == []


def test_no_import_cycles() -> None:
    graph = import_graph()
    # A package's __init__ re-exports its modules; a module importing its own package's
    # __init__ is a cycle only through that re-export, which the interpreter resolves
    # because the module is imported first. Count it as importing its siblings instead.
    for a, b in list(graph.edges):
        if a.startswith(b + ".") and b != "amur":
            graph.remove_edge(a, b)
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert cycles == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from amur.paths import route\n", {"amur.paths", "amur.paths.route"}),
        ("def f():\n    import amur.graph.expand\n", {"amur.graph.expand"}),
        ("from . import kernel\n", {"amur.paths", "amur.paths.kernel"}),
    ],
)
def test_imports_are_found_at_any_depth(tmp_path: Path, source: str, expected: set[str]) -> None:
    path = tmp_path / "route.py"
    path.write_text(source, encoding="utf-8")
    assert imports(path, "amur.paths.route") == expected
