"""Capacities by year: the figure in force in a year, read with its year, used by the
assignment; places (ports, gauge-change yards) have transfer capacities."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import amur
from amur.assign.multimodal import (
    build_network_graph,
    capacity_in_year,
    link_capacities,
    place_capacities,
    read_flow_parameters,
)
from amur.data import dataset_path
from amur.errors import InputError
from amur.graph.expand import ArcKind, expand


def _brute(rows: dict[int, float], year: int | None) -> float:
    """The oracle: the latest figure from a year on or before ``year``, else the first."""
    if year is None:
        return rows[max(rows)]
    before = [y for y in rows if y <= year]
    return rows[max(before)] if before else rows[min(rows)]


@given(
    st.dictionaries(st.integers(1990, 2030), st.floats(1, 1e9), min_size=1, max_size=6),
    st.one_of(st.none(), st.integers(1980, 2040)),
)
def test_capacity_in_year_is_the_latest_figure_on_or_before_the_year(
    rows: dict[int, float], year: int | None
) -> None:
    params = {f"capacity_t_per_year:x@{y}": v for y, v in rows.items()}
    params["capacity_t_per_year:xy@1900"] = -1.0  # a link whose id starts the same: ignored
    assert capacity_in_year(params, "capacity_t_per_year:x", year) == _brute(rows, year)


def test_a_capacity_without_a_year_holds_every_year_and_none_is_none() -> None:
    assert capacity_in_year({"capacity_t_per_year:x": 5.0}, "capacity_t_per_year:x", 2001) == 5
    assert capacity_in_year({}, "capacity_t_per_year:x", 2001) is None


def _write(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "flow_parameters.csv"
    path.write_text("name,value,unit,year,source_id,note\n" + rows, encoding="utf-8")
    return path


def test_read_keys_capacities_by_year(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "capacity_t_per_year:a,10,t/year,2015,s,\n"
        "capacity_t_per_year:a,30,t/year,2021,s,\n"
        "transfer_capacity_t_per_year:p,7,t/year,2020,s,\n"
        "bpr_b,0.15,1,,s,\n",
    )
    params = read_flow_parameters(path)
    assert params == {
        "capacity_t_per_year:a@2015": 10.0,
        "capacity_t_per_year:a@2021": 30.0,
        "transfer_capacity_t_per_year:p@2020": 7.0,
        "bpr_b": 0.15,
    }


@pytest.mark.parametrize(
    "rows, fragment",
    [
        (
            "bpr_b,0.15,1,,s,\ncapacity_t_per_year:a,10,t/year,,s,\n",
            "row 3, column year: capacity 'capacity_t_per_year:a' has no year",
        ),
        (
            "transfer_capacity_t_per_year:p,10,t/year,soon,s,\n",
            "row 2, column year: 'soon' is not a year",
        ),
    ],
)
def test_a_capacity_with_no_year_is_one_clear_error(
    tmp_path: Path, rows: str, fragment: str
) -> None:
    path = _write(tmp_path, rows)
    with pytest.raises(InputError) as info:
        read_flow_parameters(path)
    assert str(path) in info.value.message and fragment in info.value.message
    assert info.value.field == "year"


def test_a_file_without_a_year_column_names_the_column(tmp_path: Path) -> None:
    path = tmp_path / "flow_parameters.csv"
    path.write_text("name,value\ncapacity_t_per_year:a,10\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 2, column year"):
        read_flow_parameters(path)


def test_link_capacities_follow_the_year() -> None:
    links = pd.DataFrame(
        {"id": ["a", "b"], "mode": ["rail", "road"], "capacity_t_per_year": [np.nan, np.nan]}
    )
    params = {"capacity_t_per_year:a@2015": 10.0, "capacity_t_per_year:a@2021": 30.0}
    for year, expected in ((2010, 10.0), (2018, 10.0), (2021, 30.0), (None, 30.0)):
        caps = link_capacities(links, params, year)
        assert caps["capacity_t_per_year"].tolist()[0] == expected
        assert caps["basis"].tolist() == ["parameter", "default"]


@pytest.fixture(scope="module")
def builtin() -> tuple[amur.Network, dict[str, float]]:
    net = amur.load("northeast-asia")
    return net, read_flow_parameters(dataset_path("northeast-asia") / "flow_parameters.csv")


def test_brest_capacity_changes_between_2018_and_2022(
    builtin: tuple[amur.Network, dict[str, float]],
) -> None:
    net, params = builtin
    row = net.links.index[net.links["id"] == "brest-malaszewicze-rail"][0]
    by_year = {
        y: link_capacities(net.links, params, y)["capacity_t_per_year"][row] for y in (2018, 2022)
    }
    assert by_year[2022] > 2 * by_year[2018]


def test_port_transfer_capacity_reaches_the_assignment_graph(
    builtin: tuple[amur.Network, dict[str, float]],
) -> None:
    net, params = builtin
    caps = place_capacities(net.nodes, params, 2022)
    k = net.node_index["dalian"]
    assert np.isfinite(caps[k]) and caps[k] > 0
    ng = build_network_graph(expand(net, 2022), ["harbin", "hamburg"], params)
    g = ng.expanded
    at_dalian = np.flatnonzero((g.kind == ArcKind.HANDLING) & (g.node == k))
    assert at_dalian.size > 0
    assert np.allclose(ng.graph.cost_parameters.capacity[at_dalian], caps[k] / 2)
    elsewhere = np.flatnonzero(
        (g.kind == ArcKind.HANDLING) & ~np.isin(g.node, np.flatnonzero(np.isfinite(caps)))
    )
    assert (ng.graph.cost_parameters.capacity[elsewhere] >= 1e12).all()


def test_every_builtin_capacity_has_a_year_and_a_source(
    builtin: tuple[amur.Network, dict[str, float]],
) -> None:
    table = pd.read_csv(dataset_path("northeast-asia") / "flow_parameters.csv", dtype={"year": str})
    sources = set(pd.read_csv(dataset_path("northeast-asia") / "flow_sources.csv")["id"])
    caps = table[
        table["name"].str.startswith(("capacity_t_per_year:", "transfer_capacity_t_per_year:"))
    ]
    assert caps["year"].str.fullmatch(r"\d{4}").all()
    assert set(caps["source_id"]) <= sources
    net = builtin[0]
    for name in caps["name"]:
        kind, what = name.split(":", 1)
        known = set(net.links["id"]) if kind == "capacity_t_per_year" else set(net.nodes["id"])
        assert what in known, name
