"""Flows after assignment over HTTP (``GET /api/flows``) and the built-in projects: the JSON
of ``amur assign --json``, and each bad request a 4xx naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from .conftest import cli_json
from .test_analyses import _bad


@pytest.fixture(scope="module")
def flows_client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One app on the built-in dataset for the whole module, so assignments are cached."""
    from amur.web import create_app

    store = tmp_path_factory.mktemp("flows-store") / "amur.sqlite"
    with TestClient(create_app(network="northeast-asia", store=store)) as test_client:
        yield test_client


def test_flows_iterations_are_those_of_amur_assign() -> None:
    from amur.web import flows

    assert flows.MAX_ITERATIONS == 500  # amur assign --max-iterations default


def test_an_assignment_stopped_short_says_so(
    flows_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from amur.web import flows

    monkeypatch.setattr(flows, "MAX_ITERATIONS", 1)
    answer = flows_client.get("/api/flows", params={"algorithm": "msa", "gap": 1e-9})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["relative_gap"] > 1e-9
    assert body["warnings"] and "short of the 1e-09 asked for" in body["warnings"][0]


def test_flows_answer_the_json_of_amur_assign(flows_client: TestClient) -> None:
    answer = flows_client.get("/api/flows", params={"scenario": "2022"})
    assert answer.status_code == 200, answer.text
    expected = cli_json("assign", "--scenario", "2022", "--json")
    assert answer.json() == expected
    body = answer.json()
    assert body["network"] == "northeast-asia+2022" and body["year"] == 2022
    assert body["algorithm"] == "b" and body["relative_gap"] <= 1e-5 and body["files"] == []
    assert set(body["links"][0]) == {
        "from",
        "to",
        "link",
        "mode",
        "flow_t_per_year",
        "cost_usd_per_t",
        "v_c",
        "months",
        "flow_t_per_year_by_commodity",
        "flow_t_per_year_range",
    }
    assert len(body["commodities"]) >= 7 and body["corridor_shares_by_commodity"]
    assert body["seasons"] == [[1, 2, 3], [4, 11], [5, 6, 7, 8, 9, 10], [12]]
    assert sum(link["flow_t_per_year"] for link in body["links"]) > 0
    assert all(b["v_c"] > 0.9 for b in body["bottlenecks"]) and body["bottlenecks"]
    shares = body["corridor_shares"]
    assert {s["group"] for s in shares} == {"harbin_europe"}
    # a path through two corridors' places credits both (corridor_shares), so the shares
    # need not sum to one; each is a fraction of Harbin's Europe-bound tonnes
    assert all(0.0 <= s["share"] <= 1.0 + 1e-9 for s in shares)
    assert sum(s["share"] for s in shares) >= 1.0 - 1e-6


def test_flows_route_choice_as_amur_assign(flows_client: TestClient) -> None:
    logit = flows_client.get("/api/flows", params={"scenario": "2022", "logit": 0.005})
    assert logit.status_code == 200, logit.text
    assert logit.json() == cli_json("assign", "--scenario", "2022", "--logit", "0.005", "--json")
    assert logit.json()["route_choice"] == "logit, dispersion 0.005"
    both = flows_client.get("/api/flows", params={"logit": 0.1, "system_optimum": True})
    assert both.status_code == 422 and both.json()["field"] == "system_optimum"
    for bad in (0, -1, "nan"):
        answer = flows_client.get("/api/flows", params={"logit": bad})
        assert answer.status_code == 422 and answer.json()["field"] == "logit", answer.text


def test_flows_follow_month_algorithm_and_threshold(flows_client: TestClient) -> None:
    april = flows_client.get(
        "/api/flows", params={"scenario": "2018", "month": 4, "algorithm": "bfw", "gap": 1e-3}
    )
    assert april.status_code == 200, april.text
    assert april.json() == cli_json(
        "assign",
        "--scenario",
        "2018",
        "--month",
        "4",
        "--algorithm",
        "bfw",
        "--gap",
        "1e-3",
        "--json",
    )
    assert april.json()["month"] == 4 and april.json()["algorithm"] == "bfw"
    # April 2018: neither the ice road nor the ferry runs at Heihe, so nothing crosses there.
    heihe = [link for link in april.json()["links"] if link["mode"] in ("ice_road", "river_ferry")]
    assert all(link["flow_t_per_year"] == 0 for link in heihe)
    # A lower threshold finds more bottlenecks on the same (cached) assignment.
    strict = flows_client.get(
        "/api/flows",
        params={"scenario": "2018", "month": 4, "algorithm": "bfw", "gap": 1e-3, "vc": 0.5},
    ).json()
    assert strict["links"] == april.json()["links"]
    assert len(strict["bottlenecks"]) > len(april.json()["bottlenecks"])
    assert all(b["v_c"] > 0.5 for b in strict["bottlenecks"])


def test_flows_are_cached_per_scenario_month_algorithm_and_gap(flows_client: TestClient) -> None:
    state = flows_client.app.state.amur  # type: ignore[attr-defined]
    first = flows_client.get("/api/flows", params={"scenario": "today", "gap": 1e-4}).json()
    cached = dict(state.cache["flows"])
    again = flows_client.get(
        "/api/flows", params={"scenario": "today", "gap": 1e-4, "vc": 5}
    ).json()
    assert state.cache["flows"] == cached  # the same assignment, not a new one
    assert again["links"] == first["links"] and again["bottlenecks"] != first["bottlenecks"]
    flows_client.get("/api/flows", params={"scenario": "today", "gap": 1e-3})
    assert len(state.cache["flows"]) == len(cached) + 1


def test_flows_under_a_stored_scenario(flows_client: TestClient) -> None:
    text = 'name = "copy-of-2018"\nbase = "2018"\n'
    created = flows_client.post("/api/scenarios", json={"name": "flows-copy", "toml": text})
    assert created.status_code == 201, created.text
    mine = flows_client.get("/api/flows", params={"scenario": "flows-copy"})
    assert mine.status_code == 200, mine.text
    base = flows_client.get("/api/flows", params={"scenario": "2018"}).json()
    assert mine.json()["scenario"] == "flows-copy" and mine.json()["year"] == 2018
    assert mine.json()["links"] == base["links"]


def test_flows_bad_requests(flows_client: TestClient) -> None:
    assert "nope" in _bad(flows_client, 404, "scenario", "/api/flows", {"scenario": "nope"})
    assert "1e-12" in _bad(flows_client, 422, "gap", "/api/flows", {"gap": 1e-300})
    _bad(flows_client, 404, "scenario", "/api/flows", {"scenario": "../scenarios/2018.toml"})
    _bad(flows_client, 422, "month", "/api/flows", {"scenario": "2018", "month": 13})
    _bad(flows_client, 422, "month", "/api/flows", {"scenario": "2018", "month": 0})
    assert "'msa'" in _bad(
        flows_client, 422, "algorithm", "/api/flows", {"scenario": "2018", "algorithm": "dijkstra"}
    )
    for gap in (0, -1e-5, 5e-324, 1e-13, "nan", "inf", 2, "small"):
        _bad(flows_client, 422, "gap", "/api/flows", {"scenario": "2018", "gap": gap})
    for vc in (-0.1, "nan"):
        _bad(flows_client, 422, "vc", "/api/flows", {"scenario": "2018", "vc": vc})
    _bad(flows_client, 422, "scenario", "/api/flows", {"scenario": ""})


def test_flows_on_a_network_without_demand_is_a_404(client: TestClient) -> None:
    answer = client.get("/api/flows", params={"month": 4})
    assert answer.status_code == 404, answer.text
    assert "no built-in freight demand" in answer.json()["detail"]
    caps = client.get("/api/capabilities").json()
    assert caps["flows"] is False and caps["appraisal"] is True


def test_capabilities_on_the_builtin_network_offer_flows(flows_client: TestClient) -> None:
    caps = flows_client.get("/api/capabilities").json()
    assert caps["flows"] is True and caps["appraisal"] is True


def test_scenario_geojson_has_the_links_a_scenario_adds(flows_client: TestClient) -> None:
    base = flows_client.get("/api/network.geojson").json()
    yamal = flows_client.get("/api/network.geojson", params={"scenario": "lng-yamal"})
    assert yamal.status_code == 200, yamal.text
    ids = {
        f["properties"]["id"]
        for f in yamal.json()["features"]
        if f["properties"]["feature_type"] == "link"
    }
    base_ids = {
        f["properties"]["id"] for f in base["features"] if f["properties"]["feature_type"] == "link"
    }
    assert "sabetta-dalian-sea-nsr" in ids - base_ids
    _bad(flows_client, 404, "scenario", "/api/network.geojson", {"scenario": "nope"})


def test_projects_are_the_four_builtin_ones(flows_client: TestClient) -> None:
    from amur.impact import builtin_projects

    projects = flows_client.get("/api/projects").json()["projects"]
    ids = [p["id"] for p in projects]
    assert ids == builtin_projects()
    assert set(ids) == {
        "amur-road-bridge",
        "tongjiang-rail-bridge",
        "korea-rail",
        "primorye-upgrade",
    }
    bridge = next(p for p in projects if p["id"] == "amur-road-bridge")
    assert "Blagoveshchensk" in bridge["name"] and bridge["opening_year"] == 2020


def test_flow_map_sums_both_directions_of_each_link(flows_client: TestClient) -> None:
    params = {"scenario": "2022"}
    flows = flows_client.get("/api/flows", params=params).json()
    answer = flows_client.get("/api/flows.geojson", params=params)
    assert answer.status_code == 200, answer.text
    drawn = answer.json()
    # Oracle: the directions of /api/flows summed and maxed here, link by link.
    totals: dict[str, float] = {}
    highest: dict[str, float] = {}
    for link in flows["links"]:
        totals[link["link"]] = totals.get(link["link"], 0.0) + link["flow_t_per_year"]
        highest[link["link"]] = max(highest.get(link["link"], 0.0), link["v_c"] or 0.0)
    flowing = {link for link, total in totals.items() if total > 0}
    features = drawn["features"]
    assert {f["properties"]["link"] for f in features} == flowing
    assert len(features) == len(flowing)
    two_way = 0
    for f in features:
        p = f["properties"]
        assert p["flow_t_per_year"] == pytest.approx(totals[p["link"]], rel=1e-12)
        assert (p["v_c"] or 0.0) == pytest.approx(highest[p["link"]], rel=1e-12)
        assert p["bottleneck"] == (p["link"] in {b["link"] for b in flows["bottlenecks"]})
        directions = [
            x for x in flows["links"] if x["link"] == p["link"] and x["flow_t_per_year"] > 0
        ]
        two_way += len(directions) == 2
    assert two_way > 0  # some links carry freight both ways, so the sum is exercised
    carried = [f["properties"]["flow_t_per_year"] for f in features]
    assert carried == sorted(carried) and drawn["largest_flow_t_per_year"] == carried[-1]
    assert any(f["properties"]["bottleneck"] for f in features)
    groups = {g["group"]: g["flow_t_per_year"] for g in drawn["groups"]}
    assert groups == pytest.approx(
        {"harbin_europe": sum(s["flow_t_per_year"] for s in flows["corridor_shares"])}
    )


def test_flow_map_draws_the_scenarios_own_link_geometry(flows_client: TestClient) -> None:
    drawn = flows_client.get("/api/flows.geojson", params={"scenario": "2022"}).json()
    network = flows_client.get("/api/network.geojson", params={"scenario": "2022"}).json()
    lines = {
        f["properties"]["id"]: f["geometry"]["coordinates"]
        for f in network["features"]
        if f["properties"]["feature_type"] == "link"
    }
    for f in drawn["features"]:
        assert f["geometry"]["type"] == "LineString"
        assert f["geometry"]["coordinates"] == lines[f["properties"]["link"]]


def test_flow_map_refuses_what_flows_refuse(flows_client: TestClient) -> None:
    for params, field in (
        ({"gap": 1e-13}, "gap"),
        ({"logit": 0}, "logit"),
        ({"logit": 0.1, "system_optimum": True}, "system_optimum"),
        ({"scenario": "no-such"}, "scenario"),
    ):
        answer = flows_client.get("/api/flows.geojson", params=params)
        assert answer.status_code in (404, 422), answer.text
        assert answer.json()["field"] == field, answer.text


def test_flows_avoid_closes_the_place_as_amur_assign_avoid(flows_client: TestClient) -> None:
    query = {"scenario": "2018", "month": 7, "gap": 1e-3, "avoid": ["Brest"]}
    answer = flows_client.get("/api/flows", params=query)
    assert answer.status_code == 200, answer.text
    assert answer.json() == cli_json(
        "assign",
        "--scenario",
        "2018",
        "--month",
        "7",
        "--gap",
        "1e-3",
        "--avoid",
        "Brest",
        "--json",
    )
    assert answer.json()["avoid"] == ["brest"]
    assert not [
        link
        for link in answer.json()["links"]
        if "brest" in (link["from"], link["to"]) and link["flow_t_per_year"] > 0
    ]
    bad = flows_client.get("/api/flows", params={"avoid": "Atlantis"})
    assert bad.status_code == 422 and "avoid" in bad.text
