"""Traffic and user benefits from assignments with and without a project: a hand-worked
network to the cent, the project-file path unchanged, the JSON, and the assignment run
once for any number of draws."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_appraisal import small

import amur
from amur.assign import seasons
from amur.demand.matrix import ODMatrices
from amur.errors import InputError
from amur.impact import appraise, read_project
from amur.impact.project import Project, project_from_dict
from amur.impact.traffic import assign_project
from amur.network import Network
from cli_support import run

ZONES = ("a", "b", "c")


def hand_network() -> Network:
    """Three places in one country on one road layer, no borders, no congestion.

    Parameters: 10 t per TEU, cargo worth 24,000 USD per TEU, time costs 1 % of it a day,
    so the value of time is 24,000 x 0.01 / 24 h / 10 t = 1 USD per tonne-hour.
    Generalized cost per tonne = cost_usd_per_teu_km x km / 10 + hours x 1:

        ab-old  a-b  100 km, 2 USD/TEU-km, 10 km/h: 200/10 + 10 h = 30 USD/t
        ab-new  a-b   50 km, 2 USD/TEU-km, 10 km/h: 100/10 +  5 h = 15 USD/t (the project,
                                                     planned: not in service without it)
        bc      b-c  100 km, 1 USD/TEU-km, 20 km/h: 100/10 +  5 h = 15 USD/t

    Capacities of 1e12 t/year make the BPR term 0.15 x (v/c)^4 below 1e-20: costs are
    free-flow costs to far better than a cent.
    """
    nodes = pd.DataFrame(
        {
            "id": list(ZONES),
            "name": ["A", "B", "C"],
            "country": ["CN", "CN", "CN"],
            "lat": [45.0, 45.5, 46.0],
            "lon": [126.0, 126.5, 127.0],
            "kind": ["city"] * 3,
        }
    )
    links = pd.DataFrame(
        {
            "id": ["ab-old", "ab-new", "bc"],
            "from_node": ["a", "a", "b"],
            "to_node": ["b", "b", "c"],
            "mode": ["road"] * 3,
            "length_km": [100.0, 50.0, 100.0],
            "speed_kmh": [10.0, 10.0, 20.0],
            "cost_usd_per_teu_km": [2.0, 2.0, 1.0],
            "capacity_t_per_year": [1e12] * 3,
            "status": ["operating", "planned", "operating"],
        }
    )
    net = Network.from_frames(nodes, links, name="hand")
    return Network(
        net.nodes,
        net.links,
        net.sources,
        name="hand",
        parameters={
            "t_per_teu": 10.0,
            "shipment_value_usd_per_teu": 24_000.0,
            "time_value_pct_per_day": 1.0,
        },
    )


def demands() -> tuple[ODMatrices, ODMatrices]:
    """With the project: a->b 1.0 Mt, b->a 0.5 Mt, a->c 0.2 Mt; without: 0.6, 0.3, 0.2."""
    with_p = np.zeros((3, 3))
    with_p[0, 1], with_p[1, 0], with_p[0, 2] = 1.0e6, 0.5e6, 0.2e6
    without_p = np.zeros((3, 3))
    without_p[0, 1], without_p[1, 0], without_p[0, 2] = 0.6e6, 0.3e6, 0.2e6
    return ODMatrices(ZONES, {"all": with_p}), ODMatrices(ZONES, {"all": without_p})


def hand_project() -> Project:
    """The project of test_appraisal.small() building ab-new between a and b."""
    data = small()
    data["project"].update({"link_ids": ["ab-new"], "od": ["a", "b"]})
    del data["benefits"]
    return project_from_dict(data)


def test_assignment_benefit_worked_by_hand_to_the_cent() -> None:
    """Generalized costs per tonne, without -> with the project:
        a->b 30 -> 15, b->a 30 -> 15, a->c 30 + 15 = 45 -> 15 + 15 = 30: each saves 15.
    Rule of a half, 0.5 x (T_without + T_with) x (GC_without - GC_with), summed:
        a->b 0.5 x (0.6 + 1.0) Mt x 15 = 12.0 mn; b->a 0.5 x (0.3 + 0.5) x 15 = 6.0 mn;
        a->c 0.5 x (0.2 + 0.2) x 15 = 3.0 mn; total USD 21,000,000.00 a year.
    Project traffic: everything a<->b and a->c takes ab-new: 1.0 + 0.5 + 0.2 = 1.7 Mt.

    Appraisal (small(): capital 100 in 2020, opens 2021 for 2 years, growth 20 %, operating
    cost 10, tariff 40 USD/t, 6 %, loan 30 at 5 %, grace 1, maturity 2; USD million):
        benefits 2021: 21.0;  2022: 21.0 x 1.2 = 25.2.
        net: 2020 -100;  2021 21.0 - 10 = 11.0;  2022 25.2 - 10 = 15.2.
        NPV = -100 + 11 / 1.06 + 15.2 / 1.1236
            = -100 + 10.377358490566 + 13.527945888216 = -76.094695621218
            -> USD -76,094,695.62.
        BCR = (21 / 1.06 + 25.2 / 1.1236) / (100 + 10 / 1.06 + 10 / 1.1236)
            = (19.811320754717 + 22.427910288359) / 118.333926664610 = 0.356949...
        IRR: 100 u^2 - 11 u - 15.2 = 0, u = (11 + sqrt(121 + 6080)) / 200.
        revenue 40 x 1.7 = 68.0 and 40 x 2.04 = 81.6; cash flow for debt service 58.0 and
        71.6; debt service 1.5 and 31.5: DSCR 38.666667 and 2.273016.
    """
    with_d, without_d = demands()
    result = appraise(
        hand_project(),
        network=hand_network(),
        traffic="assignment",
        demand=with_d,
        demand_without=without_d,
    )
    assert result.assignment is not None
    assert round(result.assignment.user_benefit_usd_per_year, 2) == 21_000_000.00
    assert result.assignment.with_t_per_year == pytest.approx(1.7e6, rel=1e-12)
    assert result.assignment.without_t_per_year == 0.0
    od = result.assignment.od.set_index(["origin", "destination"])
    assert (od["gc_without_usd_per_t"] - od["gc_with_usd_per_t"]).to_numpy() == pytest.approx(
        np.full(3, 15.0), abs=1e-9
    )
    assert od.loc[("a", "c"), "gc_without_usd_per_t"] == pytest.approx(45.0, abs=1e-9)
    flows = result.cash_flow.set_index("year")
    assert round(flows.loc[2021, "user_benefits_usd_mn"] * 1e6, 2) == 21_000_000.00
    assert round(flows.loc[2022, "user_benefits_usd_mn"] * 1e6, 2) == 25_200_000.00
    assert round(result.npv_usd_mn * 1e6, 2) == -76_094_695.62
    assert result.bcr == pytest.approx(
        (21 / 1.06 + 25.2 / 1.1236) / (100 + 10 / 1.06 + 10 / 1.1236), abs=1e-12
    )
    u = (11 + math.sqrt(121 + 6080)) / 200
    assert result.irr == pytest.approx(u - 1, abs=1e-10)
    assert flows.loc[2021, "dscr"] == pytest.approx(58.0 / 1.5)
    assert flows.loc[2022, "dscr"] == pytest.approx(71.6 / 31.5)
    assert result.generalized_cost_saving_usd_per_unit == pytest.approx(21e6 / 1.7e6)
    assert result.traffic_source == "assignment"


def test_fixed_demand_gives_the_whole_saving_of_existing_traffic() -> None:
    # Same demand in both cases (the default): 15 USD/t x 1.7 Mt = 25.5 mn a year.
    with_d, _ = demands()
    traffic = assign_project(hand_project(), hand_network(), with_d)
    assert round(traffic.user_benefit_usd_per_year, 2) == 25_500_000.00


def test_project_traffic_is_unchanged_and_says_so() -> None:
    p = project_from_dict(small())
    old = appraise(p)
    new = appraise(p, traffic="project")
    assert new.npv_usd_mn == old.npv_usd_mn and new.bcr == old.bcr
    assert round(new.npv_usd_mn * 1e6, 2) == 2_349_590.60
    d = new.to_dict()
    assert d["traffic_source"] == "project"
    assert d["assignment_reused_across_draws"] is None
    assert "assignment" not in d
    # "file" is the same as "project"; "auto" without a network is the project file too
    assert appraise(p, traffic="file").npv_usd_mn == old.npv_usd_mn
    assert appraise(p, traffic="auto").traffic_source == "project"


def test_draws_reuse_the_assignment(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = seasons.assign_network

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(seasons, "assign_network", counting)
    data = small(uncertainty__traffic_growth_sd_pct=5.0)
    data["project"].update({"link_ids": ["ab-new"], "od": ["a", "b"]})
    data["uncertainty"].update({"traffic_level": [0.6, 1.0, 1.2]})
    with_d, without_d = demands()
    result = appraise(
        project_from_dict(data),
        network=hand_network(),
        draws=1000,
        seed=3,
        traffic="assignment",
        demand=with_d,
        demand_without=without_d,
    )
    assert len(calls) == 2  # with and without, once each, for 1000 draws
    d = result.to_dict()
    assert d["traffic_source"] == "assignment"
    assert d["assignment_reused_across_draws"] is True
    assert d["draws"]["n"] == 1000
    assert d["assignment"]["user_benefit_usd_per_year"] == 21_000_000.00
    json.dumps(d)  # serialisable


def test_assignment_needs_links_and_a_demand() -> None:
    data = small()
    data["project"].update({"od": ["a", "b"]})
    with pytest.raises(InputError, match="names no link"):
        appraise(
            project_from_dict(data),
            network=hand_network(),
            traffic="assignment",
            demand=demands()[0],
        )
    with pytest.raises(InputError, match="no built-in demand"):
        appraise(hand_project(), network=hand_network(), traffic="assignment")
    # auto falls back to the project file where no demand applies
    result = appraise(hand_project(), network=hand_network(), traffic="auto")
    assert result.traffic_source == "project"
    with pytest.raises(InputError, match="expected one of"):
        appraise(hand_project(), network=hand_network(), traffic="guess")


@pytest.fixture(scope="module")
def net() -> Network:
    return amur.load("northeast-asia")


def test_builtin_bridge_traffic_from_the_assignment(net: Network) -> None:
    result = appraise("amur-road-bridge", network=net, traffic="assignment")
    assert result.assignment is not None
    assert result.assignment.year == 2020
    assert result.assignment.with_t_per_year > 0
    assert result.assignment.user_benefit_usd_per_year > 0
    assert result.assignment.relative_gap[0] < 1e-7
    # with the bridge some OD pairs save more than 0.1 %; at a user equilibrium a new link
    # may raise other pairs' costs (Braess): freight the bridge diverts onto the
    # Trans-Siberian adds to the congested Brest crossing, so a few pairs bound for Europe
    # pay a little more; none more than 0.2 % (0.15 % for Kemerovo-Busan once ports and
    # crossings have capacities by year: the bridge's freight adds to the Trans-Siberian and
    # the Pacific ports), and the benefit summed over pairs is positive
    od = result.assignment.od
    assert (od["gc_with_usd_per_t"] <= od["gc_without_usd_per_t"] * (1 + 2e-3)).all()
    assert od["benefit_usd"].sum() > 0
    assert (od["gc_with_usd_per_t"] < od["gc_without_usd_per_t"] * (1 - 1e-3)).any()
    # the primorye upgrade is not modelled by the network (no od): auto uses the file
    assert appraise("primorye-upgrade", network=net, traffic="auto").traffic_source == "project"


def test_cli_traffic_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(["appraise", "amur-road-bridge", "--json"], capsys)
    assert code == 0, err
    d = json.loads(out)
    assert d["traffic_source"] == "assignment"
    assert d["assignment_reused_across_draws"] is True
    code, out, err = run(["appraise", "amur-road-bridge", "--traffic", "project", "--json"], capsys)
    assert code == 0, err
    d = json.loads(out)
    assert d["traffic_source"] == "project"
    assert d["traffic_opening_year"]["with"] == read_project("amur-road-bridge").traffic_per_year
    code, out, err = run(["appraise", "amur-road-bridge", "--traffic", "guess"], capsys)
    assert code == 2 and "expected one of" in err
