"""`amur import osm`: a routable network from an OpenStreetMap extract."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from amur.cli._app import JsonOpt, app, err, load_network, out, print_json

import_app = typer.Typer(
    help="Networks from other data: OpenStreetMap extracts.", no_args_is_help=True
)
app.add_typer(import_app, name="import")


@import_app.command("osm")
def import_osm_command(
    file: Annotated[Path, typer.Argument(help="OpenStreetMap extract (.osm.pbf, .osm, .o5m).")],
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="Network folder to write (nodes.csv, links.csv, sources.csv)."
        ),
    ],
    bbox: Annotated[
        str | None,
        typer.Option(
            "--bbox", help="min_lon,min_lat,max_lon,max_lat in degrees: ways with a node inside."
        ),
    ] = None,
    countries: Annotated[
        str | None,
        typer.Option(
            "--countries",
            help="ISO 3166-1 alpha-2 codes, comma-separated (MN,RU): ways with a "
            "point in one of them.",
        ),
    ] = None,
    modes: Annotated[
        str,
        typer.Option(
            "--modes", help="rail, ferry and/or road (motorway, trunk, primary), comma-separated."
        ),
    ] = "rail,ferry",
    simplify_tolerance: Annotated[
        float,
        typer.Option(
            "--simplify-tolerance",
            help="Tolerance of the written geometry, metres (0 keeps every "
            "point; lengths always use the full geometry).",
        ),
    ] = 0.0,
    include_service: Annotated[
        bool,
        typer.Option("--include-service", help="Keep sidings, yard, spur and industrial tracks."),
    ] = False,
    include_disused: Annotated[
        bool,
        typer.Option(
            "--include-disused", help="Keep disused and abandoned lines (imported as closed)."
        ),
    ] = False,
    attach: Annotated[
        str | None,
        typer.Option(
            "--attach",
            help="Dataset (northeast-asia) or network folder whose places are matched "
            "to the nearest OSM stations; its figures carry over.",
        ),
    ] = None,
    max_attach_km: Annotated[
        float,
        typer.Option("--max-attach-km", help="Largest distance from a place to its station, km."),
    ] = 10.0,
    as_json: JsonOpt = False,
) -> None:
    """Railways, ferries and main roads of an extract as a routable network folder."""
    from amur.io.osm import import_osm
    from amur.io.osm.importer import summary

    result = import_osm(
        file,
        out_dir,
        modes=modes.split(","),
        bbox=bbox,
        countries=countries.split(",") if countries else None,
        simplify_tolerance_m=simplify_tolerance,
        include_service=include_service,
        include_disused=include_disused,
        attach_to=load_network(attach) if attach else None,
        max_attach_km=max_attach_km,
    )
    table = summary(result)
    matches = result.attached.matches if result.attached is not None else None
    if as_json:
        payload: dict[str, Any] = {"summary": table.to_dict("records")[0], "path": str(result.path)}
        if matches is not None:
            payload["attached"] = (
                matches.astype(object).where(matches.notna(), None).to_dict("records")
            )
        print_json(payload)
    else:
        from amur.cli._format import rich_frame

        out.print(rich_frame(table, f"OSM import: {file.name} -> {result.path}"))
        if matches is not None:
            out.print(rich_frame(matches, "Places attached to OSM stations (distance, km)"))
    if result.skipped_gauge:
        skipped = ", ".join(f"{g or 'none'}: {n}" for g, n in result.skipped_gauge.items())
        err.print(
            f"amur: railway ways of gauges amur does not model were left out ({skipped})",
            markup=False,
            highlight=False,
        )
