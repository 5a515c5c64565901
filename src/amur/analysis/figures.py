"""The figures of a dataset: every number of its tables with the source it rests on, and
the public addresses behind each source (for :mod:`amur.analysis.audit`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from amur.network import Network

__all__ = ["FIGURE_COLUMNS", "Figure", "dataset_figures", "source_urls"]

#: Columns of each table that hold figures, and the column naming each one's source.
FIGURE_COLUMNS: dict[str, dict[str, str]] = {
    "links": {
        "length_km": "source_id",
        "speed_kmh": "ops_source_id",
        "time_h": "ops_source_id",
        "cost_usd_per_teu_km": "ops_source_id",
        "cost_usd_per_tkm": "ops_source_id",
        "co2_kg_per_tkm": "ops_source_id",
        "capacity_t_per_year": "ops_source_id",
    },
    "nodes": {
        "lat": "source_id",
        "lon": "source_id",
        "handling_time_h": "ops_source_id",
        "handling_cost_usd_per_teu": "ops_source_id",
        "gauge_change_time_h": "ops_source_id",
        "gauge_change_cost_usd_per_teu": "ops_source_id",
        "border_time_h": "ops_source_id",
        "border_fee_usd_per_teu": "ops_source_id",
        "winter_time_h": "winter_source_id",
    },
    "regimes": {
        "time_h_low": "source_id",
        "time_h": "source_id",
        "time_h_high": "source_id",
        "fee_usd_per_teu": "source_id",
        "throughput_teu_per_day": "source_id",
    },
}
_COMBINES = "combines "


@dataclass(frozen=True)
class Figure:
    """One number of a dataset and its source.

    Attributes
    ----------
    table : str
        ``links``, ``nodes``, ``regimes``, ``parameters`` or ``flow_parameters``.
    id : str
        Row: a link or node id, a regime as ``place|kind|mode|direction``, a parameter name.
    column : str
        Column of the figure (``value`` for parameters).
    value : float
        The figure, in the column's unit.
    source_id, kind, url : str
        Its source, the source's kind (verified, derived, estimate, recalled, user) and
        address ("" when none).
    urls : tuple of str
        Addresses behind the figure: the source's own, or for a source that combines others
        (``combines a, b: ...``), the addresses of every part; empty if any part has none.
    """

    table: str
    id: str
    column: str
    value: float
    source_id: str
    kind: str
    url: str
    urls: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        """(table, id, column)."""
        return self.table, self.id, self.column


def source_urls(sources: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Addresses behind each source: its URL, or the URLs of every source it combines.

    A source whose note starts ``combines a, b:`` (the dataset builder's combinations)
    resolves to its parts; it has addresses only if every part has one.
    """
    rows = {str(r["id"]): r for r in sources.to_dict("records")}

    def resolve(sid: str, seen: frozenset[str]) -> tuple[str, ...]:
        row = rows.get(sid)
        if row is None or sid in seen:
            return ()
        url = row.get("url")
        if isinstance(url, str) and url.strip():
            return (url.strip(),)
        note = row.get("note")
        if isinstance(note, str) and note.startswith(_COMBINES):
            parts = [p.strip() for p in note[len(_COMBINES) :].split(":", 1)[0].split(",")]
            found = [resolve(p, seen | {sid}) for p in parts if p]
            if found and all(found):
                return tuple(dict.fromkeys(u for urls in found for u in urls))
        return ()

    return {sid: resolve(sid, frozenset()) for sid in rows}


def dataset_figures(net: Network, folder: Path | None = None) -> list[Figure]:
    """Every figure of a network (and of its dataset folder's parameters and flow
    parameters, when given), with its source.

    Parameters
    ----------
    net : Network
    folder : pathlib.Path, optional
        The dataset folder; its ``parameters.csv`` and ``flow_parameters.csv`` (with
        ``flow_sources.csv``) give the parameters' sources.

    Returns
    -------
    list of Figure
    """
    sources = net.sources
    extra = []
    if folder is not None and (folder / "flow_sources.csv").is_file():
        extra.append(pd.read_csv(folder / "flow_sources.csv", dtype=str, keep_default_na=False))
    all_sources = pd.concat([sources.astype(object), *extra], ignore_index=True)
    all_sources = all_sources.drop_duplicates("id")
    kinds = dict(zip(all_sources["id"], all_sources["kind"], strict=True))
    own = {
        str(i): (u if isinstance(u, str) else "")
        for i, u in zip(all_sources["id"], all_sources["url"], strict=True)
    }
    urls = source_urls(all_sources)
    out: list[Figure] = []

    def add(table: str, ident: str, column: str, value: object, sid: object) -> None:
        number = float(value)  # type: ignore[arg-type]
        if not math.isfinite(number):
            return
        source = sid if isinstance(sid, str) else ""
        out.append(
            Figure(
                table,
                ident,
                column,
                number,
                source,
                str(kinds.get(source, "")),
                own.get(source, ""),
                urls.get(source, ()),
            )
        )

    for table, columns in FIGURE_COLUMNS.items():
        frame = getattr(net, table)
        if not len(frame):
            continue
        ids = (
            frame["id"]
            if table != "regimes"
            else frame["place"]
            + "|"
            + frame["kind"]
            + "|"
            + frame["mode"]
            + "|"
            + frame["direction"]
        ).tolist()
        for column, source_column in columns.items():
            values = frame[column].to_numpy(dtype=np.float64, na_value=np.nan)
            for ident, value, sid in zip(ids, values, frame[source_column], strict=True):
                add(table, str(ident), column, value, sid)
    for name in ("parameters", "flow_parameters"):
        path = None if folder is None else folder / f"{name}.csv"
        if path is None or not path.is_file():
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for ident, value, sid in zip(
            frame["name"], frame["value"], frame["source_id"], strict=True
        ):
            if not ident.startswith("customs_union:"):
                add(name, ident, "value", value, sid)
    return out
