"""Rich tables from pandas frames, and number formatting for the command line."""

from __future__ import annotations

from typing import Any

from rich.table import Table

__all__ = ["cell", "number", "rich_frame"]


def rich_frame(table: Any, title: str, formats: dict[str, str] | None = None) -> Table:
    """A Rich table of a frame; columns in ``formats`` right-aligned and formatted."""
    rich_table = Table(title=title)
    formats = formats or {}
    for c in table.columns:
        rich_table.add_column(str(c), justify="right" if c in formats else "left", overflow="fold")
    for rec in table.to_dict("records"):
        cells = []
        for c in table.columns:
            v = rec[c]
            if v is None or (isinstance(v, float) and v != v):
                cells.append("")
            elif c in formats:
                cells.append(format(v, formats[c]))
            else:
                cells.append(str(v))
        rich_table.add_row(*cells)
    return rich_table


def cell(value: Any, fmt: str) -> str:
    """A formatted number, or ``-`` for a missing one."""
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    return format(value, fmt)


def number(value: float) -> str:
    """A number with as many decimals as its size deserves."""
    return (
        f"{value:,.3f}"
        if abs(value) < 10
        else f"{value:,.1f}"
        if abs(value) < 1e4
        else f"{value:,.0f}"
    )
