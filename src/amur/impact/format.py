"""Rich tables for the command line: market-access change, appraisal, the story."""

from __future__ import annotations

import numpy as np
from rich.table import Table

from amur.impact.appraisal import Appraisal
from amur.impact.market_access import MarketAccessChange
from amur.impact.story import Story


def _f(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None or not np.isfinite(x) else f"{x:,.{digits}f}"


def change_table(change: MarketAccessChange) -> Table:
    """Market access by region in A and B and the change, %."""
    from amur.impact.market_access import WELFARE_FORM, WELFARE_STATUS

    table = Table(
        title=f"{change.a.kind.capitalize()} market access, {change.a.label} to "
        f"{change.b.label} (theta = {change.a.theta:g})",
        caption=f"land rent*: {WELFARE_FORM}, USD mn a year; {WELFARE_STATUS}",
    )
    for column in ("region", "name", "MA A", "MA B", "change %", "trade %", "land rent*"):
        table.add_column(column, justify="left" if column in ("region", "name") else "right")
    for row in change.table().to_dict("records"):
        table.add_row(
            row["region"],
            row["name"],
            _f(row["market_access_a"], 1),
            _f(row["market_access_b"], 1),
            _f(row["market_access_change_pct"], 3),
            _f(row["trade_change_pct"], 3),
            _f(row["land_rent_change_usd_mn"], 3),
        )
    return table


def appraisal_table(result: Appraisal) -> Table:
    """NPV, BCR, IRR and DSCR, with percentiles when drawn."""
    d = result.to_dict()
    drawn = result.draws is not None
    table = Table(
        title=f"{result.project.name}: appraisal at {result.project.discount_pct:g} % "
        + (f"({result.draws.n:,} draws)" if result.draws else "")
    )
    table.add_column("measure")
    table.add_column("central", justify="right")
    if drawn:
        for q in ("p5", "p50", "p95"):
            table.add_column(q, justify="right")

    def row(name: str, central: float | None, pct: dict[str, float | None] | None) -> None:
        cells = [name, _f(central if central is not None else np.nan, 3)]
        if drawn and pct is not None:
            cells += [_f(pct[q] if pct[q] is not None else np.nan, 3) for q in ("p5", "p50", "p95")]
        table.add_row(*cells)

    row("NPV, USD mn", d["npv"]["value"], d["npv"].get("percentiles"))
    row("BCR", d["bcr"]["value"], d["bcr"].get("percentiles"))
    row("IRR", d["irr"]["value"], d["irr"].get("percentiles"))
    row("min DSCR", d["dscr"]["min"], d["dscr"].get("min_percentiles"))
    row(
        "min DSCR, operating years",
        d["dscr"]["min_operating"],
        d["dscr"].get("min_operating_percentiles"),
    )
    if drawn:
        table.caption = (
            f"P(min DSCR < 1) = {d['dscr']['probability_min_below_1']:.3f}; "
            f"P(min DSCR < covenant {d['dscr']['covenant']:g}) = "
            f"{d['dscr']['probability_min_below_covenant']:.3f}; uncovered years (central): "
            f"{', '.join(map(str, result.uncovered_years)) or 'none'}"
        )
    return table


def story_table(result: Story) -> Table:
    """The story's rows."""
    table = Table(
        title="Dongbei: market access and trade, corridors alone and export mix",
        caption="\n".join(result.assumptions),
    )
    for column in (
        "region",
        "theta",
        "MA corridors %",
        "trade corridors %",
        "MA mix %",
        "trade mix %",
        "MA both %",
    ):
        table.add_column(column, justify="left" if column == "region" else "right")
    for r in result.table.to_dict("records"):
        table.add_row(
            r["name"],
            f"{r['theta']:g}",
            _f(r["corridors_ma_pct"], 3),
            _f(r["corridors_trade_pct"], 3),
            _f(r["mix_ma_pct"], 3),
            _f(r["mix_trade_pct"], 3),
            _f(r["both_ma_pct"], 3),
        )
    return table
