"""`amur data demand`: the built-in demand by commodity and year, and its fit to counts."""

from __future__ import annotations

from amur.cli._app import JsonOpt, NetworkOpt, data_app, out, print_json
from amur.cli._format import rich_frame


@data_app.command("demand")
def data_demand(network: NetworkOpt = "northeast-asia", as_json: JsonOpt = False) -> None:
    """The built-in demand: commodities, years, zones, tonnes, asymmetry and its fit."""
    import pandas as pd

    from amur.demand.builtin import demand_summary

    summary = demand_summary(network)
    if as_json:
        print_json(summary)
        return
    totals = summary["total_t_per_year_by_year"]
    assert isinstance(totals, dict)
    table = pd.DataFrame(totals).fillna(0.0).div(1e6)
    table.columns = [str(c) for c in table.columns]
    out.print(
        rich_frame(
            table.reset_index(names="commodity"),
            f"{network}: Mt a year by commodity, {summary['zones']} zones",
            {c: ",.2f" for c in table.columns},
        )
    )
    out.print(
        f"asymmetry {summary['asymmetry']:.2f} (share of tonnes that would have to "
        f"change direction to make the {summary['base_year']} matrix symmetric)"
    )
    for name in ("calibration", "validation"):
        fit = summary[name]
        assert isinstance(fit, dict)
        out.print(
            f"{name}: {fit['counts']} counts, median GEH {fit['geh_median']:.1f}, "
            f"R² {fit['r2']:.3f} ({fit['file']})"
        )
