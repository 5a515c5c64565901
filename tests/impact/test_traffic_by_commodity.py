"""The appraisal's traffic from the built-in demand by commodity: each commodity on its own
modes at its own value of time (as ``amur assign --scenario`` assigns it), its traffic and
benefits reported by commodity and summing to the totals."""

from __future__ import annotations

import json

import numpy as np
import pytest

import amur
from amur.data import dataset_path
from amur.demand.builtin import builtin_demand
from amur.demand.matrix import ODMatrices
from amur.demand.statistics import read_commodities
from amur.errors import InputError
from amur.impact import appraise
from amur.impact.project import read_project
from amur.impact.traffic import assign_project


@pytest.fixture(scope="module")
def net() -> amur.Network:
    return amur.load("northeast-asia")


@pytest.fixture(scope="module")
def bridge(net: amur.Network):  # type: ignore[no-untyped-def]
    return appraise("amur-road-bridge", network=net, traffic="assignment")


def test_the_bridge_is_assigned_by_commodity(bridge) -> None:  # type: ignore[no-untyped-def]
    a = bridge.assignment
    assert a.classes == "commodity"
    commodities = read_commodities(dataset_path("northeast-asia") / "commodities.csv")
    demand = builtin_demand("northeast-asia")
    by = a.by_commodity.set_index("commodity")
    with_demand = {c for c, m in demand.matrices.items() if m.sum() > 0}
    assert set(by.index) == with_demand
    # a road bridge carries only commodities that may go by road: never crude oil or LNG,
    # although both have demand
    for c in with_demand:
        if "road" not in commodities[c].modes:
            assert by.loc[c, "with_t_per_year"] == 0.0, c
    assert demand.matrices["crude_oil"].sum() > 0
    assert by.loc["crude_oil", "with_t_per_year"] == 0.0
    # and it carries some freight of a road commodity
    assert by["with_t_per_year"].max() > 0


def test_traffic_and_benefits_by_commodity_sum_to_the_totals(bridge) -> None:  # type: ignore[no-untyped-def]
    a = bridge.assignment
    by = a.by_commodity
    assert by["with_t_per_year"].sum() == pytest.approx(a.with_t_per_year, rel=1e-12)
    change = (by["with_t_per_year"] - by["without_t_per_year"]).sum()
    assert change == pytest.approx(a.with_t_per_year - a.without_t_per_year, rel=1e-12)
    assert by["user_benefit_usd_per_year"].sum() == pytest.approx(
        a.user_benefit_usd_per_year, rel=1e-12
    )
    # each commodity's benefit is its OD rows' rule of a half
    od = a.od
    for c, row in by.set_index("commodity").iterrows():
        part = od[od["commodity"] == c]
        half = 0.5 * (part["demand_with_t"] + part["demand_without_t"])
        saving = part["gc_without_usd_per_t"] - part["gc_with_usd_per_t"]
        assert (half * saving).sum() == pytest.approx(row["user_benefit_usd_per_year"], abs=1e-3)
    # the JSON reports it
    d = bridge.to_dict()["assignment"]
    json.dumps(d)
    assert d["classes"].startswith("by commodity")
    assert {r["commodity"] for r in d["traffic_by_commodity"]} == set(by["commodity"])


def test_a_commodity_with_demand_in_one_case_only_is_an_error(net: amur.Network) -> None:
    demand = builtin_demand("northeast-asia")
    without = ODMatrices(
        demand.zones,
        {c: m if c != "timber" else np.zeros_like(m) for c, m in demand.matrices.items()},
    )
    with pytest.raises(InputError, match="'timber' has demand with the project and none without"):
        assign_project(read_project("amur-road-bridge"), net, demand, without)


def test_a_demand_of_no_dataset_commodity_stays_one_class() -> None:
    # the hand network has no commodities.csv: one class on every mode, reported as one
    # row that carries the totals (1.7 Mt with, 0 without, 21 USD mn a year)
    from test_appraisal_assignment import demands, hand_network, hand_project

    with_d, without_d = demands()
    traffic = assign_project(hand_project(), hand_network(), with_d, without_d)
    assert traffic.classes == "one"
    (row,) = traffic.by_commodity.to_dict("records")
    assert row["commodity"] == "all"
    assert row["with_t_per_year"] == pytest.approx(1.7e6, rel=1e-12)
    assert row["without_t_per_year"] == 0.0
    assert round(row["user_benefit_usd_per_year"], 2) == 21_000_000.00
    assert set(traffic.od["commodity"]) == {"all"}


def test_the_builtin_appraisal_is_assigned_once_per_network(net, bridge) -> None:  # type: ignore[no-untyped-def]
    # the web page and the API ask for the same appraisal in turn: the second is the first
    project = read_project("amur-road-bridge")
    assert assign_project(project, net) is bridge.assignment
    # a given demand is assigned afresh (the hand network: no built-in demand to keep)
    from test_appraisal_assignment import demands, hand_network, hand_project

    hand = hand_network()
    with_d, _ = demands()
    first = assign_project(hand_project(), hand, with_d)
    assert assign_project(hand_project(), hand, with_d) is not first
