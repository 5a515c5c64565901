"""`amur assign`: equilibrium assignment of freight demand."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated, Any

import typer

from amur.cli._app import (
    JsonOpt,
    MonthOpt,
    NetworkOpt,
    ScenarioOpt,
    app,
    checked,
    out,
    output,
    print_json,
    setting,
)
from amur.cli._format import rich_frame
from amur.errors import ConvergenceWarning, InputError


@app.command("assign")
def assign_command(
    scenario: ScenarioOpt = None,
    month: MonthOpt = None,
    demand: Annotated[
        Path | None,
        typer.Option(
            help="Demand CSV or Parquet (origin, destination, value[, commodity]) in t/year; "
            "the dataset's built-in demand by default."
        ),
    ] = None,
    tntp: Annotated[
        Path | None,
        typer.Option(help="A TNTP folder (*_net.tntp and *_trips.tntp) instead of the network."),
    ] = None,
    algorithm: Annotated[
        str,
        typer.Option(callback=lambda value: _algorithm(value), help="b, bfw, cfw, fw, msa or aon."),
    ] = "b",
    gap: Annotated[
        float, typer.Option(callback=checked("gap", "--gap"), help="Stop at this relative gap.")
    ] = 1e-5,
    max_iterations: Annotated[
        int,
        typer.Option(
            callback=checked("max_iterations", "--max-iterations"), help="Stop after this many."
        ),
    ] = 500,
    vc: Annotated[
        float,
        typer.Option(
            "--vc", callback=checked("vc", "--vc"), help="Bottleneck threshold: v/c above this."
        ),
    ] = 0.9,
    logit: Annotated[
        float | None,
        typer.Option(
            callback=checked("logit_theta", "--logit"),
            help="Logit route choice with this dispersion, per USD/t (per minute of cost on a "
            "TNTP network): shippers spread freight over routes of similar cost. User "
            "equilibrium by default.",
        ),
    ] = None,
    system_optimum: Annotated[
        bool,
        typer.Option(
            "--system-optimum", help="Minimise total cost instead (links priced at marginal cost)."
        ),
    ] = False,
    avoid: Annotated[
        list[str] | None,
        typer.Option(help="Close every link at this place, e.g. a closed crossing (repeatable)."),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            callback=output("--out", folder=True),
            help="Folder for link flows (Parquet and GeoPackage).",
        ),
    ] = None,
    network: NetworkOpt = "northeast-asia",
    as_json: JsonOpt = False,
) -> None:
    """Equilibrium assignment of freight demand: bottlenecks and corridor shares."""
    options = _options(
        algorithm=algorithm,
        gap=gap,
        max_iterations=max_iterations,
        system_optimum=system_optimum,
        logit_theta=logit,
    )
    if tntp is not None:
        _assign_tntp(tntp, options, as_json)
        return
    from amur.demand import read_demand_csv, read_demand_parquet
    from amur.demand.builtin import assign_demand, builtin_demand
    from amur.io.flows import write_link_flows

    net, year, month, modes = setting(network, scenario, None, month)
    net = net.without_places(avoid or ())
    # the built-in demand is passed as None so that its flows carry its ranges, as the
    # web API's do
    od = None
    if demand is not None and demand.suffix.lower() == ".parquet":
        od = read_demand_parquet(demand)
    elif demand is not None:
        od = read_demand_csv(demand)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        result, europe = assign_demand(net, network, year, month, modes, od, options)
    total = (builtin_demand(network, year) if od is None else od).total()
    said = list(
        dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, ConvergenceWarning))
    )
    for text in said:  # shown on standard error by amur.cli.main
        warnings.warn(ConvergenceWarning(text), stacklevel=1)
    written = [] if out_dir is None else write_link_flows(net, result.links, out_dir)
    if as_json:
        print_json(
            {
                "network": net.name,
                "scenario": scenario,
                "year": year,
                "month": month,
                "avoid": [net.place(a) for a in avoid or ()],
                **result.to_dict(vc),
                "files": [str(p) for p in written],
                "warnings": said,
            }
        )
        return
    when = f"scenario {scenario}" if scenario else "base network"
    if avoid:
        when += ", avoiding " + ", ".join(net.place_name(net.place(a)) for a in avoid)
    seasons = "; ".join(
        "-".join(map(str, (m[0], m[-1])))
        if len(m) > 1 and m[-1] - m[0] == len(m) - 1
        else ",".join(map(str, m))
        for m in result.seasons.months
    )
    out.print(
        f"{net.name} ({when}), {result.route_choice}: {result.algorithm}, "
        f"{result.iterations} "
        "iterations over "
        f"{len(result.seasons.months)} season(s) (months {seasons}), relative gap "
        f"{result.relative_gap:.2e}, objective {result.objective:,.4g} (USD/t x "
        f"t/year); demand {total:,.0f} t/year"
    )
    columns = [
        "link",
        "from",
        "to",
        "mode",
        "flow_t_per_year",
        "capacity_t_per_year",
        "v_c",
        "delay_h",
    ]
    out.print(
        rich_frame(
            result.bottlenecks(vc)[columns],
            f"Bottlenecks: v/c above {vc}",
            {
                "flow_t_per_year": ",.0f",
                "capacity_t_per_year": ",.0f",
                "v_c": ".2f",
                "delay_h": ",.1f",
            },
        )
    )
    shares = result.shares[result.shares["share"] > 0] if len(result.shares) else result.shares
    out.print(
        rich_frame(
            shares,
            f"Harbin's Europe-bound freight by corridor ({', '.join(europe)})",
            {"flow_t_per_year": ",.0f", "share": ".1%"},
        )
    )
    by_commodity = getattr(result, "commodity_shares", None)
    if by_commodity is not None and len(by_commodity):
        out.print(
            rich_frame(
                by_commodity[by_commodity["share"] > 0],
                "Corridor shares by commodity",
                {"flow_t_per_year": ",.0f", "share": ".1%"},
            )
        )
    for path in written:
        out.print(f"wrote {path}")


#: Settings named as the command line names them, for its error messages.
FLAGS = {
    "logit_theta": "--logit",
    "system_optimum": "--system-optimum",
    "max_iterations": "--max-iterations",
}


def _algorithm(value: str) -> str:
    """--algorithm checked at parse time, with the message of amur.options."""
    from amur.assign.options import ALGORITHMS
    from amur.options import check_choice

    return check_choice("algorithm", value, ALGORITHMS, "--algorithm", what="algorithm")


def _options(**settings: Any) -> Any:
    """The assignment's settings, checked once; errors name the command line's flags."""
    from amur.assign.options import AssignmentOptions

    try:
        return AssignmentOptions(**settings)
    except InputError as exc:
        message = exc.message
        for name, flag in FLAGS.items():
            message = message.replace(name, flag)
        raise InputError(message, field=exc.field) from None


def _assign_tntp(folder: Path, options: Any, as_json: bool) -> None:
    from amur.assign import assign, graph_from_tntp
    from amur.io.tntp import read_tntp_network, read_tntp_trips

    if not folder.is_dir():
        raise InputError(f"{folder}: no such TNTP folder", field="tntp")
    nets, trips = sorted(folder.glob("*_net.tntp")), sorted(folder.glob("*_trips.tntp"))
    if not nets or not trips:
        raise InputError(f"{folder}: expected a *_net.tntp and a *_trips.tntp file", field="tntp")
    tnet = read_tntp_network(nets[0])
    graph = graph_from_tntp(tnet)
    r = assign(graph, read_tntp_trips(trips[0], tnet.n_nodes), options)
    v_c = r.flow / graph.cost_parameters.capacity
    choice = options.route_choice
    if as_json:
        print_json(
            {
                "network": nets[0].name,
                "route_choice": choice,
                "algorithm": r.algorithm,
                "iterations": r.iterations,
                "relative_gap": r.relative_gap,
                "objective": r.objective,
                "links": [
                    {
                        "from": int(a) + 1,
                        "to": int(b) + 1,
                        "flow_per_period": float(f),
                        "cost_min": float(c),
                        "v_c": float(x),
                    }
                    for a, b, f, c, x in zip(
                        graph.init, graph.term, r.flow, r.cost, v_c, strict=True
                    )
                ],
            }
        )
        return
    out.print(
        f"{nets[0].name}, {choice}: {r.algorithm}, {r.iterations} iterations, "
        "relative gap "
        f"{r.relative_gap:.2e}, objective {r.objective:,.8g}"
    )
