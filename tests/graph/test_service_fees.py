"""A service without a price pays the crossings' fees that wagonload pays on its path; a
service with a price pays its price only (amur.graph.service_fees)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import amur
from amur.data import dataset_path
from amur.graph.expand import ArcKind, expand
from amur.graph.service_fees import crossing_fees


@pytest.fixture(scope="module")
def net() -> amur.Network:
    return amur.load("northeast-asia")


@pytest.fixture(scope="module")
def regimes() -> pd.DataFrame:
    return pd.read_csv(dataset_path("northeast-asia") / "regimes.csv")


def _fee(regimes: pd.DataFrame, place: str, kind: str, mode: str, direction: str) -> float:
    row = regimes[
        (regimes["place"] == place)
        & (regimes["kind"] == kind)
        & (regimes["mode"] == mode)
        & (regimes["direction"] == direction)
    ]
    assert len(row) == 1, (place, kind, mode, direction)
    return float(row["fee_usd_per_teu"].iloc[0])


def _chain_cost(
    net: amur.Network, year: int, service: str, first_place: str
) -> tuple[float, float]:
    """Money cost of one direction of a service's ride arcs (the chain leaving
    ``first_place``), and the links' own rate x length over the same links."""
    g = expand(net, year)
    row = int(np.flatnonzero(net.services["id"].to_numpy() == service)[0])
    ride = np.flatnonzero((g.kind == ArcKind.RIDE) & (g.service == row))
    start = net.node_index[first_place]
    by_tail = {int(g.tail[a]): int(a) for a in ride}
    first = [a for a in ride if int(g.state_node[g.tail[a]]) == start]
    # the chain leaving first_place: follow ride arcs head to tail
    arc = next(a for a in first if int(g.tail[a]) not in {int(g.head[b]) for b in ride})
    cost, line_haul = 0.0, 0.0
    links = net.links
    while True:
        cost += float(g.cost_usd[arc])
        link = int(g.link[arc])
        line_haul += float(links["cost_usd_per_teu_km"].iloc[link] * links["length_km"].iloc[link])
        nxt = by_tail.get(int(g.head[arc]))
        if nxt is None:
            return cost, line_haul
        arc = nxt


def test_price_less_rail_service_pays_border_and_gauge_change_fees(net, regimes) -> None:
    # Ha-Sui-E-Ya, Harbin -> Vladivostok: CN export at Suifenhe (its rail row), RU import at
    # Grodekovo, and Grodekovo's gauge change, on top of the links' rates.
    cost, line_haul = _chain_cost(net, 2018, "harbin_vladivostok", "harbin")
    expected = (
        _fee(regimes, "suifenhe", "border", "rail", "CN>RU")
        + _fee(regimes, "grodekovo", "border", "any", "CN>RU")
        + _fee(regimes, "grodekovo", "gauge_change", "rail", "both")
    )
    assert expected == pytest.approx(314 + 587.5 + 200)
    assert cost == pytest.approx(line_haul + expected)


def test_price_less_sea_service_pays_both_ports_border_fees(net, regimes) -> None:
    cost, line_haul = _chain_cost(net, 2020, "fesco_krs", "busan")
    expected = _fee(regimes, "busan", "border", "any", "KR>RU") + _fee(
        regimes, "vladivostok", "border", "any", "KR>RU"
    )
    assert cost == pytest.approx(line_haul + expected)
    assert expected > 0


def test_priced_service_pays_its_price_only(net) -> None:
    # The Harbin–Hamburg train crosses China-Russia and Belarus-Poland and changes gauge
    # twice; its through rate covers that (ce_rate_scope).
    cost, _ = _chain_cost(net, 2016, "harbin_hamburg", "harbin")
    assert cost == pytest.approx(3500.0)


def test_no_fee_inside_a_customs_union_or_without_a_crossing(net) -> None:
    rows = net.links.reset_index(drop=True)

    def path(*ids: str) -> list[tuple[int, bool]]:
        return [(int(rows.index[rows["id"] == i][0]), True) for i in ids]

    assert crossing_fees(net, 2018, "rail", []).size == 0
    domestic = crossing_fees(net, 2018, "rail", path("harbin-suifenhe-rail"))
    assert domestic.tolist() == [0.0]
    # Russia-Belarus and Kazakhstan-Russia are open borders (EAEU): no fee on those
    # crossings, as on the graph's border arcs
    open_borders = crossing_fees(
        net, 2018, "rail", path("moscow-brest-rail", "petropavl-chelyabinsk-rail")
    )
    assert open_borders.tolist() == [0.0, 0.0]
