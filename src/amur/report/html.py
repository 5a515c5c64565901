"""HTML reports with PNG charts: a market-access change and a project appraisal, under out/.

Each report is one folder (``index.html``, its charts and ``report.json``, the same numbers
as the command's ``--json``), built in a temporary folder beside the target and renamed into
place, so a failed write leaves no partial report and keeps an older one intact.
matplotlib is imported only when a chart is drawn.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from amur.impact.appraisal import Appraisal
    from amur.impact.market_access import MarketAccessChange

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { padding: 0.2rem 0.6rem; border-bottom: 1px solid #ddd; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.estimate { color: #8a5a00; } img { max-width: 100%; }
"""


def slug(label: str) -> str:
    """A folder-safe name for a scenario or project label (a TOML path gives its stem)."""
    if label.endswith(".toml"):
        label = Path(label).stem
    return re.sub(r"[^A-Za-z0-9._-]+", "_", label).strip("._") or "scenario"


def impact_report(change: MarketAccessChange, out_dir: str | Path = "out") -> Path:
    """Write the report of a market-access change to ``out_dir/impact/<a>-<b>/index.html``.

    Parameters
    ----------
    change : MarketAccessChange
        From :func:`amur.impact.compare_scenarios` or
        :func:`amur.impact.market_access_change`.
    out_dir : str or Path
        Folder the ``impact`` folder goes in (``out``).

    Returns
    -------
    pathlib.Path
        The ``index.html`` written. Beside it: ``market_access_change.png``,
        ``trade_change.png`` and ``report.json`` (``change.to_dict()``).

    Raises
    ------
    OutputError
        If the folder cannot be written (the message names it); nothing is left behind.

    Examples
    --------
    >>> import amur
    >>> from amur.impact import compare_scenarios
    >>> from amur.report.html import impact_report
    >>> net = amur.load("northeast-asia")
    >>> impact_report(compare_scenarios(net, "2014", "today"), "out")  # doctest: +SKIP
    PosixPath('out/impact/2014-today/index.html')
    """
    data = change.to_dict()
    target = Path(out_dir) / "impact" / f"{slug(change.a.label)}-{slug(change.b.label)}"

    def build(folder: Path) -> None:
        names = [f"{r['name']} ({r['region']})" for r in data["regions"]]
        _bar_chart(
            folder / "market_access_change.png",
            names,
            [r["market_access_change_pct"] for r in data["regions"]],
            f"change in {data['kind']} market access, % ({data['scenario_a']} to "
            f"{data['scenario_b']}, theta = {data['theta']:g})",
            "#3b6ea5",
        )
        _bar_chart(
            folder / "trade_change.png",
            names,
            [r["trade_change_pct"] for r in data["regions"]],
            "predicted change in trade with the other regions, % (gravity, partial equilibrium)",
            "#5a8f3c",
        )
        (folder / "report.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        (folder / "index.html").write_text(_impact_html(data), encoding="utf-8")

    return _publish(target, build) / "index.html"


def appraisal_report(result: Appraisal, out_dir: str | Path = "out") -> Path:
    """Write the report of a project appraisal to ``out_dir/appraise/<project>/index.html``.

    Parameters
    ----------
    result : Appraisal
        From :func:`amur.impact.appraise` (with or without Monte Carlo draws).
    out_dir : str or Path
        Folder the ``appraise`` folder goes in (``out``).

    Returns
    -------
    pathlib.Path
        The ``index.html`` written. Beside it: ``dscr_by_year.png`` (central case, with the
        covenant line), ``npv_distribution.png`` and ``dscr_distribution.png`` when drawn,
        and ``report.json`` (``result.to_dict()``).

    Raises
    ------
    OutputError
        If the folder cannot be written (the message names it); nothing is left behind.
    """
    data = result.to_dict()
    target = Path(out_dir) / "appraise" / slug(result.project.id)

    def build(folder: Path) -> None:
        covenant = float(data["dscr"]["covenant"])
        by_year = data["dscr"]["by_year"]
        _dscr_by_year_chart(
            folder / "dscr_by_year.png",
            [int(y) for y in by_year],
            [float(v) for v in by_year.values()],
            covenant,
        )
        charts = ["dscr_by_year.png"]
        if result.draws is not None:
            _histogram(
                folder / "npv_distribution.png",
                result.draws.npv_usd_mn.tolist(),
                f"economic NPV, USD million ({result.draws.n:,} draws)",
                [(float(data["npv"]["value"] or 0.0), "central case")]
                if data["npv"]["value"] is not None
                else [],
            )
            # the operating years: over the whole loan the minimum is 0 whenever debt is
            # serviced before opening, which says nothing about the traffic risk
            _histogram(
                folder / "dscr_distribution.png",
                result.draws.min_dscr_operating.tolist(),
                f"minimum DSCR in operating years ({result.draws.n:,} draws)",
                [(1.0, "1.0"), (covenant, f"covenant {covenant:g}")],
            )
            charts += ["npv_distribution.png", "dscr_distribution.png"]
        (folder / "report.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        (folder / "index.html").write_text(_appraisal_html(data, result, charts), encoding="utf-8")

    return _publish(target, build) / "index.html"


def _publish(target: Path, build: Callable[[Path], None]) -> Path:
    """Build the report in a temporary folder beside ``target``, then swap it into place
    (:func:`amur.io.atomic.atomic_folder`): a failure keeps the older report.
    """
    from amur.io.atomic import atomic_folder

    return atomic_folder(target, build, field="report")


# --- charts ---------------------------------------------------------------------------


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def _bar_chart(
    path: Path, names: Sequence[str], values: Sequence[float | None], xlabel: str, color: str
) -> None:
    """Horizontal bars sorted by value; regions without a value are left out."""
    pairs = sorted(
        (
            (float(v), n)
            for n, v in zip(names, values, strict=True)
            if v is not None and math.isfinite(v)
        ),
        key=lambda p: p[0],
    )
    fig = _figure(7.5, 0.3 * max(len(pairs), 1) + 1.4)
    ax = fig.subplots()
    ax.barh([n for _, n in pairs], [v for v, _ in pairs], color=color)
    ax.axvline(0.0, color="black", linewidth=0.8)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.tick_params(labelsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110, format="png")


def _dscr_by_year_chart(
    path: Path, years: Sequence[int], dscr: Sequence[float], covenant: float
) -> None:
    fig = _figure(7.5, 3.6)
    ax = fig.subplots()
    colours = ["#b03a2e" if v < 1.0 else "#d68910" if v < covenant else "#3b6ea5" for v in dscr]
    ax.bar([str(y) for y in years], dscr, color=colours)
    ax.axhline(covenant, color="#d68910", linestyle="--", label=f"covenant {covenant:g}")
    ax.axhline(1.0, color="#b03a2e", linestyle=":", label="1.0 (debt service covered)")
    ax.set_ylabel("DSCR (central case)")
    ax.legend(fontsize=8)
    ax.tick_params(axis="x", labelrotation=60, labelsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110, format="png")


def _histogram(
    path: Path, values: Sequence[float], xlabel: str, lines: Sequence[tuple[float, str]]
) -> None:
    finite = [v for v in values if math.isfinite(v)]
    fig = _figure(7.5, 3.6)
    ax = fig.subplots()
    ax.hist(finite, bins=60, color="#3b6ea5")
    for (x, label), style in zip(lines, ("--", ":", "-."), strict=False):
        ax.axvline(x, color="black", linestyle=style, label=label)
    if lines:
        ax.legend(fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("draws")
    fig.tight_layout()
    fig.savefig(path, dpi=110, format="png")


# --- HTML -----------------------------------------------------------------------------


def _cell(value: Any, digits: int) -> str:
    """A numeric cell: the JSON value in ``data-value``, rounded for display."""
    if value is None:
        return '<td class="num" data-value="null">n/a</td>'
    return f'<td class="num" data-value="{value!r}">{float(value):,.{digits}f}</td>'


def _text(value: Any) -> str:
    return f"<td>{html.escape(str(value))}</td>"


def _page(title: str, body: list[str]) -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{html.escape(title)}</title>",
            f"<style>{_STYLE}</style>",
            "</head>",
            "<body>",
            f"<h1>{html.escape(title)}</h1>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


def _impact_html(data: dict[str, Any]) -> str:
    welfare = data["welfare"]
    head = (
        "<tr><th>region</th><th>name</th><th class='num'>market access A</th>"
        "<th class='num'>market access B</th><th class='num'>change, %</th>"
        "<th class='num'>trade change, %</th>"
        "<th class='num estimate'>land rent change, USD mn/yr (ESTIMATE)</th></tr>"
    )
    rows = []
    for r in data["regions"]:
        rows.append(
            f"<tr data-region='{html.escape(r['region'])}'>"
            + _text(r["region"])
            + _text(r["name"])
            + _cell(r["market_access_a"], 1)
            + _cell(r["market_access_b"], 1)
            + _cell(r["market_access_change_pct"], 4)
            + _cell(r["trade_change_pct"], 4)
            + _cell(r["land_rent_change_usd_mn"], 3)
            + "</tr>"
        )
    body = [
        f"<p>Scenario A <b>{html.escape(data['scenario_a'])}</b> against scenario B "
        f"<b>{html.escape(data['scenario_b'])}</b>; {html.escape(data['kind'])} market "
        f"access, theta = {data['theta']:g}, shipment value "
        f"{data['value_usd_per_teu']:,.0f} USD per TEU, value of time "
        f"{data['time_value_pct_per_day']:g} % per day.</p>",
        "<h2>Market access by region</h2>",
        "<img src='market_access_change.png' alt='change in market access by region'>",
        "<h2>Predicted trade change by region</h2>",
        "<img src='trade_change.png' alt='predicted change in trade by region'>",
        "<p>Partial-equilibrium gravity: exporter and importer terms held fixed, so the "
        "change is an upper bound when many pairs gain at once.</p>",
        "<h2>Table</h2>",
        f"<table id='regions'>{head}",
        *rows,
        "</table>",
        f"<p class='estimate'>Land rent change: {html.escape(welfare['form'])}, alpha = "
        f"{welfare['alpha']:g}. {html.escape(welfare['status'])}.</p>",
        f"<p>Market access unit: {html.escape(data['units']['market_access'])}. The numbers "
        "are those of <code>report.json</code> (the command's <code>--json</code>).</p>",
    ]
    return _page(f"Market access: {data['scenario_a']} to {data['scenario_b']}", body)


def _appraisal_html(data: dict[str, Any], result: Appraisal, charts: list[str]) -> str:
    drawn = "draws" in data
    quantiles = ("p5", "p50", "p95")
    head = (
        "<tr><th>measure</th><th class='num'>central</th>"
        + ("".join(f"<th class='num'>{q}</th>" for q in quantiles) if drawn else "")
        + "</tr>"
    )
    measures = [
        ("NPV, USD million", data["npv"]["value"], data["npv"].get("percentiles")),
        ("BCR", data["bcr"]["value"], data["bcr"].get("percentiles")),
        ("IRR", data["irr"]["value"], data["irr"].get("percentiles")),
        ("minimum DSCR", data["dscr"]["min"], data["dscr"].get("min_percentiles")),
        (
            "minimum DSCR, operating years",
            data["dscr"]["min_operating"],
            data["dscr"].get("min_operating_percentiles"),
        ),
    ]
    rows = []
    for name, central, pct in measures:
        cells = _text(name) + _cell(central, 3)
        if drawn:
            cells += "".join(_cell(pct[q] if pct else None, 3) for q in quantiles)
        rows.append(f"<tr>{cells}</tr>")
    d = data["dscr"]
    body = [
        f"<p>{html.escape(result.project.description)}</p>",
        f"<p>Economic discount rate {data['discount_pct']:g} % real; loan "
        f"{result.project.financing.loan_usd_mn:,.1f} USD million at "
        f"{result.project.financing.interest_pct:g} %, grace "
        f"{result.project.financing.grace_years} years, maturity "
        f"{result.project.financing.maturity_years} years; covenant DSCR "
        f"{d['covenant']:g}.</p>",
        "<h2>Results</h2>",
        f"<table id='measures'>{head}",
        *rows,
        "</table>",
        "<p>Debt service not covered (DSCR &lt; 1) in: "
        f"{', '.join(map(str, d['uncovered_years'])) or 'no year'}; below the covenant in: "
        f"{', '.join(map(str, d['covenant_breach_years'])) or 'no year'} (central case).</p>",
    ]
    if drawn:
        body.append(
            f"<p id='probabilities'>Over {data['draws']['n']:,} draws (seed "
            f"{data['draws']['seed']}):</p><ul>"
        )
        for key, text in (
            ("probability_min_below_1", "minimum DSCR &lt; 1"),
            ("probability_min_below_covenant", "minimum DSCR &lt; covenant"),
            ("probability_min_operating_below_1", "minimum DSCR in operating years &lt; 1"),
            (
                "probability_min_operating_below_covenant",
                "minimum DSCR in operating years &lt; covenant",
            ),
        ):
            body.append(
                f"<li>P({text}) = <span data-key='{key}' data-value='{d[key]!r}'>"
                f"{d[key]:.3f}</span></li>"
            )
        body.append("</ul>")
    titles = {
        "dscr_by_year.png": "DSCR by year, with the covenant line",
        "npv_distribution.png": "Distribution of the economic NPV",
        "dscr_distribution.png": "Distribution of the minimum DSCR in operating years",
    }
    for chart in charts:
        body += [f"<h2>{titles[chart]}</h2>", f"<img src='{chart}' alt='{titles[chart]}'>"]
    body += [
        "<h2>DSCR by year (central case)</h2>",
        "<table id='dscr'><tr><th>year</th><th class='num'>cash flow for debt service, "
        "USD mn</th><th class='num'>debt service, USD mn</th><th class='num'>DSCR</th>"
        "</tr>",
    ]
    flows = result.cash_flow
    for year, cfads, service in zip(
        flows["year"], flows["cfads_usd_mn"], flows["debt_service_usd_mn"], strict=True
    ):
        if service > 0:
            body.append(
                f"<tr>{_text(int(year))}{_cell(round(float(cfads), 6), 3)}"
                f"{_cell(round(float(service), 6), 3)}"
                f"{_cell(d['by_year'].get(int(year)), 3)}</tr>"
            )
    body.append("</table>")
    estimates = data["estimates"]
    body += [
        "<h2>Figures that are estimates</h2>",
        f"<p class='estimate'>{html.escape(', '.join(estimates)) or 'none'}</p>",
        f"<p>Benefits: {html.escape(data['benefit_basis'])}. Traffic: "
        f"{html.escape(data['traffic_basis'])}.</p>",
    ]
    return _page(f"Appraisal: {data['name']}", body)
