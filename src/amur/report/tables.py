"""Write a result table as CSV and Markdown, atomically."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from amur.io.atomic import check_target, write_text


def to_markdown(table: pd.DataFrame, title: str | None = None) -> str:
    """A GitHub-flavoured Markdown table (numbers right-aligned)."""
    lines = [f"# {title}", ""] if title else []
    header = [str(c) for c in table.columns]
    numeric = [pd.api.types.is_numeric_dtype(table[c]) for c in table.columns]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
    for rec in table.itertuples(index=False):
        cells = [
            ""
            if v is None or (isinstance(v, float) and v != v)
            else (f"{v:,}" if isinstance(v, int) else str(v))
            for v in rec
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def write_table(
    table: pd.DataFrame, folder: Path, stem: str, title: str | None = None
) -> list[Path]:
    """Write ``<stem>.csv`` and ``<stem>.md`` into ``folder`` (created if needed).

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    OutputError
        If a file cannot be written (each is written atomically: a failure keeps the
        previous file).
    """
    folder = Path(folder)
    csv_path, md_path = folder / f"{stem}.csv", folder / f"{stem}.md"
    check_target(csv_path)
    check_target(md_path)
    write_text(csv_path, table.to_csv(index=False))
    write_text(md_path, to_markdown(table, title))
    return [csv_path, md_path]
