"""`amur sweep`: a grid of cases on Dask, or a portfolio of projects with and without."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from amur.cli._app import JsonOpt, NetworkOpt, app, err, load_network, out, print_json
from amur.errors import InputError


def _routes(pairs: list[str] | None, dataset: str | None) -> tuple[tuple[str, str], ...]:
    if not pairs:
        return (("harbin", "hamburg"),) if dataset == "northeast-asia" else ()
    found = []
    for pair in pairs:
        parts = pair.split(":")
        if len(parts) != 2 or not all(p.strip() for p in parts):
            raise InputError(f"route {pair!r}: expected ORIGIN:DESTINATION", field="route")
        found.append((parts[0].strip(), parts[1].strip()))
    return tuple(found)


def _progress() -> Any:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("cases"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


@app.command("sweep")
def sweep_command(
    network: NetworkOpt = "northeast-asia",
    scenario: Annotated[
        list[str] | None,
        typer.Option("--scenario", "-s", help="Scenario (repeat for several; default today)."),
    ] = None,
    project: Annotated[
        list[str] | None,
        typer.Option(
            "--project", "-p", help="Project id or TOML file (repeat): a variant with it built."
        ),
    ] = None,
    projects: Annotated[
        Path | None,
        typer.Option(
            "--projects",
            help="Folder of project TOML files: portfolio appraisal (each with and "
            "without, and all), ranked by BCR and market-access gain per "
            "dollar.",
        ),
    ] = None,
    month: Annotated[
        list[int] | None,
        typer.Option("--month", min=1, max=12, help="Month (repeat; default 1 and 7)."),
    ] = None,
    theta: Annotated[
        list[float] | None,
        typer.Option("--theta", help="Trade elasticity values (repeat; default 5)."),
    ] = None,
    discount: Annotated[
        list[float] | None,
        typer.Option("--discount", help="Discount rates, % real (repeat; default each project's)."),
    ] = None,
    draws: Annotated[
        int, typer.Option("--draws", min=0, help="Monte Carlo draws per project case.")
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Seed; draw k uses seed + k.")] = 20240601,
    route: Annotated[
        list[str] | None,
        typer.Option(
            "--route",
            help="ORIGIN:DESTINATION whose best route each case reports (repeat; "
            "default harbin:hamburg on northeast-asia).",
        ),
    ] = None,
    shares: Annotated[
        bool,
        typer.Option(
            "--shares",
            help="Assign the built-in demand per scenario, variant and month for corridor shares.",
        ),
    ] = False,
    with_all: Annotated[
        bool, typer.Option("--with-all", help="Add the variant with every project built.")
    ] = False,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Workers of the LocalCluster.")
    ] = 2,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Address of a running Dask scheduler (tcp://host:8786) instead of a LocalCluster.",
        ),
    ] = None,
    connect_timeout: Annotated[
        float,
        typer.Option("--connect-timeout", min=0.1, help="Seconds to try to reach --scheduler."),
    ] = 5.0,
    serial: Annotated[
        bool,
        typer.Option(
            "--serial", help="Run each case alone in this process (the reference; no Dask)."
        ),
    ] = False,
    out_dir: Annotated[
        Path,
        typer.Option("--out", "-o", help="Parquet folder of the cases (partitioned by scenario)."),
    ] = Path("out/sweep"),
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="With --projects: write the portfolio report (table, charts, map) "
            "under DIR/portfolio/.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Scenarios x projects x months x parameter values x Monte Carlo draws, one row each."""
    from amur.impact import read_project
    from amur.sweep import Grid, Setting, run_serial, run_sweep

    dataset = None if Path(network).is_dir() else network
    net = load_network(network)
    parameters = {k: tuple(v) for k, v in (("theta", theta), ("discount_pct", discount)) if v}
    scenarios = tuple(scenario or ["today"])
    months = tuple(month or [1, 7])
    if projects is not None:
        if project:
            raise InputError("give --project or --projects, not both", field="projects")
        from amur.sweep.portfolio import portfolio, read_projects

        with _progress() as bar:
            task = bar.add_task("cases", total=None)
            result = portfolio(
                net,
                read_projects(projects),
                dataset=dataset,
                scenarios=scenarios,
                months=months,
                parameters=parameters,
                draws=draws,
                seed=seed,
                scheduler=scheduler,
                n_workers=workers,
                serial=serial,
                out=out_dir,
                timeout_s=connect_timeout,
                progress=lambda d, t: bar.update(task, completed=d, total=t),
            )
        written = None
        if report is not None:
            from amur.report.portfolio import portfolio_report

            written = portfolio_report(result, net, report)
        ranking = result.ranking
        if as_json:
            print_json(
                {
                    "ranking": ranking.astype(object)
                    .where(ranking.notna(), None)
                    .to_dict("records"),
                    "cases": len(result.sweep.table),
                    "seconds": result.sweep.seconds,
                    "parquet": str(result.sweep.path),
                }
            )
        else:
            from amur.cli._format import rich_frame

            columns = [
                "scenario",
                "variant",
                "capital_cost_usd_mn",
                "npv_usd_mn",
                "bcr",
                "ma_gain_pct",
                "ma_gain_pct_per_usd_bn",
                "rank_bcr",
                "rank_ma_per_usd",
            ]
            out.print(
                rich_frame(
                    ranking[columns],
                    "Portfolio: ranked by BCR and by market-access gain per dollar",
                    {
                        "capital_cost_usd_mn": ",.1f",
                        "npv_usd_mn": ",.1f",
                        "bcr": ".2f",
                        "ma_gain_pct": ".4f",
                        "ma_gain_pct_per_usd_bn": ".4f",
                    },
                )
            )
        _done(result.sweep, written)
        return
    chosen = tuple(read_project(p) for p in project or [])
    grid = Grid(
        scenarios=scenarios,
        projects=chosen,
        months=months,
        parameters=parameters,
        draws=draws,
        seed=seed,
        routes=_routes(route, dataset),
        shares=shares and dataset is not None,
        with_all=with_all,
    )
    setting = Setting(net, dataset, grid)
    with _progress() as bar:
        task = bar.add_task("cases", total=len(grid.cases()))
        progress = lambda d, t: bar.update(task, completed=d, total=t)  # noqa: E731
        sweep = (
            run_serial(setting, out=out_dir, progress=progress)
            if serial
            else run_sweep(
                setting,
                out=out_dir,
                scheduler=scheduler,
                n_workers=workers,
                progress=progress,
                timeout_s=connect_timeout,
            )
        )
    summary = {
        "cases": len(sweep.table),
        "workers": sweep.workers,
        "shared_tasks": sweep.shared_tasks,
        "seconds": round(sweep.seconds, 3),
        "seconds_per_case": round(sweep.seconds_per_case, 4),
        "parquet": str(sweep.path),
    }
    if as_json:
        print_json(summary)
    else:
        import pandas as pd

        from amur.cli._format import rich_frame

        out.print(rich_frame(pd.DataFrame([summary]), "Sweep"))
    _done(sweep, None)


def _done(sweep: Any, report: Path | None) -> None:
    err.print(
        f"amur: {len(sweep.table)} cases written to {sweep.path}"
        + (f"; report at {report}" if report else ""),
        markup=False,
        highlight=False,
    )
