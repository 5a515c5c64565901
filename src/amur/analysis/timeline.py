"""The built-in timeline over the mission's corridor table, and its chart."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from amur.network import Network
from amur.scenarios import TIMELINE, apply, load_scenario

#: The mission's destinations from Harbin.
MISSION_DESTINATIONS = ("hamburg", "moscow", "busan", "niigata", "tokyo")


def timeline_table(
    net: Network,
    scenarios: Sequence[str] = TIMELINE,
    origin: str = "harbin",
    destinations: Sequence[str] = MISSION_DESTINATIONS,
    month: int | None = None,
    by: str = "generalized",
) -> pd.DataFrame:
    """The corridor table (:func:`amur.paths.corridors.corridor_table`) in each scenario.

    Parameters
    ----------
    net : Network
        The built-in network (or one with the same corridors).
    scenarios : sequence of str
        Scenario names, in order (the built-in timeline by default).
    origin, destinations : str
        Places of the table.
    month : int, optional
        Month to route in, overriding the scenarios' months.
    by : str
        Criterion each corridor's best route minimises.

    Returns
    -------
    pandas.DataFrame
        The corridor table's columns plus ``scenario`` and ``year``; a corridor that does
        not reach a destination in a year is absent from that year.

    Raises
    ------
    ScenarioError
        If a scenario cannot be found or applied.
    """
    from amur.data import corridors as dataset_corridors
    from amur.paths.corridors import corridor_table

    corridor_list = dataset_corridors(net.name.split("+", 1)[0])
    frames = []
    for name in scenarios:
        applied = apply(net, load_scenario(name, net))
        table = corridor_table(
            applied.network,
            origin,
            list(destinations),
            corridor_list,
            by=by,
            year=applied.year,
            month=month if month is not None else applied.month,
        )
        table.insert(0, "year", applied.year)
        table.insert(0, "scenario", name)
        frames.append(table)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def timeline_chart(table: pd.DataFrame, path: str | Path) -> Path:
    """Draw time (days) and cost (USD per TEU) by year for each corridor, one column per
    destination, and write it as a PNG.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`timeline_table`.
    path : str or Path
        PNG file to write (its folder is created).

    Returns
    -------
    Path
        The file written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    destinations = list(dict.fromkeys(table["destination"]))
    fig, axes = plt.subplots(
        2, max(len(destinations), 1), figsize=(4 * len(destinations), 7), squeeze=False, sharex=True
    )
    for col, destination in enumerate(destinations):
        part = table[table["destination"] == destination]
        for corridor, rows in part.groupby("corridor", sort=True):
            rows = rows.sort_values("year")
            for row_index, figure in enumerate(("time_days", "cost_usd_per_teu")):
                axes[row_index][col].plot(
                    rows["year"], rows[figure], marker="o", label=str(corridor)
                )
        axes[0][col].set_title(f"Harbin to {destination}")
        axes[0][col].set_ylabel("days")
        axes[1][col].set_ylabel("USD per TEU")
        axes[1][col].set_xlabel("year")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=5, fontsize="small")
    fig.suptitle("Corridors by year (built-in timeline)")
    fig.tight_layout(rect=(0, 0.08, 1, 0.95))
    from amur.io.atomic import atomic_path

    try:
        with atomic_path(path, field="out") as tmp:
            fig.savefig(tmp, dpi=110, format="png")
    finally:
        plt.close(fig)
    return path
