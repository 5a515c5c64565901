"""HTML report of a portfolio appraisal: the ranking table, charts of BCR and of market-access
gain per dollar, and a map of the projects' links coloured by rank.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from amur.report.html import _bar_chart, _cell, _figure, _page, _publish, _text

if TYPE_CHECKING:
    from amur.network import Network
    from amur.sweep.portfolio import Portfolio

__all__ = ["portfolio_report"]

_COLUMNS = (
    ("capital_cost_usd_mn", "capital cost, USD mn", 1),
    ("npv_usd_mn", "NPV, USD mn", 1),
    ("bcr", "BCR", 2),
    ("irr", "IRR", 3),
    ("p_bcr_below_1", "P(BCR < 1)", 2),
    ("ma_gain_pct", "market access gain, %", 4),
    ("ma_gain_pct_per_usd_bn", "gain, % per USD bn", 4),
    ("rank_bcr", "rank by BCR", 0),
    ("rank_ma_per_usd", "rank by gain per dollar", 0),
)


def _number(value: Any) -> float | None:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _map(path: Path, portfolio: Portfolio, network: Network) -> None:
    """The network in grey, each project's links in a colour by BCR rank, country outlines."""
    import shapely

    from amur.io.countries import load_countries
    from amur.io.geo import link_geometries

    geoms = link_geometries(network)
    ids = network.links["id"].tolist()
    fig = _figure(8.0, 6.0)
    ax = fig.subplots()
    bounds = shapely.total_bounds(shapely.GeometryCollection(list(geoms)))
    for outline in load_countries().geometries:
        if not shapely.intersects(outline, shapely.box(*bounds)):
            continue
        for part in getattr(outline, "geoms", [outline]):
            x, y = part.exterior.xy
            ax.plot(x, y, color="#b8b2a4", linewidth=0.5)
    for g in geoms:
        x, y = g.xy
        ax.plot(x, y, color="#c8c8c8", linewidth=0.8)
    ranking = portfolio.ranking
    palette = ("#1e8449", "#3b6ea5", "#d68910", "#b03a2e", "#7d3c98", "#148f77")
    first = ranking[ranking["variant"] != "all"].drop_duplicates("variant")
    for k, rec in enumerate(first.sort_values("rank_bcr").itertuples()):
        project = next(p for p in portfolio.projects if p.id == rec.variant)
        colour = palette[k % len(palette)]
        for n, link in enumerate(project.link_ids):
            if link not in ids:
                continue
            x, y = geoms[ids.index(link)].xy
            ax.plot(
                x,
                y,
                color=colour,
                linewidth=3.0,
                label=f"{rec.rank_bcr}. {rec.name}" if n == 0 else None,
            )
    pad = 1.0
    ax.set_xlim(bounds[0] - pad, bounds[2] + pad)
    ax.set_ylim(bounds[1] - pad, bounds[3] + pad)
    ax.set_aspect(1.0 / max(math.cos(math.radians((bounds[1] + bounds[3]) / 2)), 0.2))
    ax.legend(fontsize=7, loc="lower left")
    ax.set_xlabel("longitude", fontsize=8)
    ax.set_ylabel("latitude", fontsize=8)
    ax.tick_params(labelsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110, format="png")


def portfolio_report(portfolio: Portfolio, network: Network, out_dir: str | Path = "out") -> Path:
    """Write ``out_dir/portfolio/index.html`` with ``ranking.csv``, ``report.json``, the bar
    charts ``bcr.png`` and ``ma_gain_per_usd.png`` and the map ``map.png``.

    Raises
    ------
    InputError
        If the folder cannot be written; nothing is left behind.
    """
    ranking = portfolio.ranking
    records: list[dict[str, Any]] = [
        {
            str(k): (_number(v) if k not in ("scenario", "variant", "name") else v)
            for k, v in rec.items()
        }
        for rec in ranking.to_dict("records")
    ]
    target = Path(out_dir) / "portfolio"

    def build(folder: Path) -> None:
        single = [r for r in records if r["variant"] != "all"]
        names = [f"{r['name']} ({r['scenario']})" for r in single]
        _bar_chart(
            folder / "bcr.png",
            names,
            [r["bcr"] for r in single],
            "benefit-cost ratio (central case)",
            "#3b6ea5",
        )
        _bar_chart(
            folder / "ma_gain_per_usd.png",
            names,
            [r["ma_gain_pct_per_usd_bn"] for r in single],
            "market-access gain, % per USD bn of capital cost",
            "#1e8449",
        )
        _map(folder / "map.png", portfolio, network)
        ranking.to_csv(folder / "ranking.csv", index=False)
        (folder / "report.json").write_text(
            json.dumps(
                {"ranking": records, "cases": len(portfolio.sweep.table)},
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
        (folder / "index.html").write_text(
            _html(records, len(portfolio.sweep.table)), encoding="utf-8"
        )

    return _publish(target, build) / "index.html"


def _html(records: list[dict[str, Any]], n_cases: int) -> str:
    head = (
        "<tr><th>scenario</th><th>project</th>"
        + "".join(f"<th class='num'>{html.escape(label)}</th>" for _, label, _ in _COLUMNS)
        + "</tr>"
    )
    rows = []
    for r in records:
        rows.append(
            f"<tr data-variant='{html.escape(str(r['variant']))}'>"
            + _text(r["scenario"])
            + _text(r["name"])
            + "".join(_cell(r.get(c), d) for c, _, d in _COLUMNS)
            + "</tr>"
        )
    body = [
        f"<p>Each project with and without against the base (none of the portfolio's "
        f"projects built), and all together; {n_cases:,} cases. Market access is firm "
        "market access summed over the regions (GDP-weighted), averaged over the months "
        "swept; its gain per dollar divides by the capital cost.</p>",
        "<h2>Ranking</h2>",
        f"<table id='ranking'>{head}",
        *rows,
        "</table>",
        "<h2>Map</h2>",
        "<img src='map.png' alt='projects on the network, by rank'>",
        "<h2>Benefit-cost ratio</h2>",
        "<img src='bcr.png' alt='BCR by project'>",
        "<h2>Market-access gain per dollar</h2>",
        "<img src='ma_gain_per_usd.png' alt='market-access gain per dollar by project'>",
        "<p>The numbers are those of <code>report.json</code> and <code>ranking.csv</code>.</p>",
    ]
    return _page("Portfolio appraisal", body)
