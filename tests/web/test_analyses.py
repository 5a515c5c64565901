"""Built-in scenarios, comparison, market access and appraisal over HTTP, on the built-in
northeast-asia dataset: each answers the JSON of its command, and each bad request a 4xx
naming the field."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import cli_json


def _bad(client: TestClient, status: int, field: str, url: str, params: dict[str, object]) -> str:
    answer = client.get(url, params=params)  # type: ignore[arg-type]
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body["field"] == field, body
    assert body["detail"].startswith(f"{field}:"), body
    return str(body["detail"])


# -- the built-in network -----------------------------------------------------------------


def test_harbin_hamburg_on_the_builtin_network_crosses_a_gauge(builtin_client: TestClient) -> None:
    answer = builtin_client.get("/api/route", params={"from": "Harbin", "to": "Hamburg"})
    assert answer.status_code == 200, answer.text
    best = answer.json()["routes"][0]
    assert answer.json()["network"] == "northeast-asia"
    assert {"manzhouli", "zabaykalsk"} & set(best["via"])
    # today it rides a block train, which changes gauge inside its own transit time
    riding = [leg for leg in best["legs"] if leg["services"]]
    assert best["gauge_changes"] != [] or {"zabaykalsk", "brest"} <= {leg["to"] for leg in riding}
    assert best["legs"][0]["from"] == "harbin" and best["legs"][-1]["to"] == "hamburg"


def test_builtin_scenarios_are_listed_with_year_and_base(builtin_client: TestClient) -> None:
    from amur.scenarios import list_scenarios

    listed = builtin_client.get("/api/scenarios/builtin").json()
    assert listed["network"] == "northeast-asia"
    names = [s["name"] for s in listed["scenarios"]]
    assert names == [s.name for s in list_scenarios("northeast-asia")]
    assert names[:10] == [
        "2014",
        "2015",
        "2018",
        "2020",
        "2021",
        "2022",
        "2023",
        "2024",
        "2025",
        "today",
    ]
    by_name = {s["name"]: s for s in listed["scenarios"]}
    assert by_name["2018"]["year"] == 2018 and by_name["2018"]["base"] is None
    assert by_name["korea-rail"]["base"] == "today" and by_name["korea-rail"]["year"] == 2026
    assert all(s["description"] and "\n" not in s["description"] for s in listed["scenarios"])


def test_a_network_without_scenarios_lists_none(client: TestClient) -> None:
    assert client.get("/api/scenarios/builtin").json()["scenarios"] == []
    _bad(
        client,
        404,
        "a",
        "/api/compare",
        {"a": "2018", "b": "2022", "from": "Harbin", "to": "Heihe"},
    )


def test_route_under_a_builtin_scenario(builtin_client: TestClient) -> None:
    answer = builtin_client.get(
        "/api/route", params={"from": "Harbin", "to": "Belogorsk", "scenario": "2018", "month": 4}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["year"] == 2018 and answer.json()["scenario"] == "2018"
    assert "heihe" not in answer.json()["routes"][0]["via"]  # neither ice nor ferry in April
    bridged = builtin_client.get(
        "/api/route", params={"from": "Harbin", "to": "Belogorsk", "scenario": "2022", "month": 4}
    ).json()
    assert "heihe" in bridged["routes"][0]["via"]


def test_a_stored_scenario_may_not_take_a_builtin_name(builtin_client: TestClient) -> None:
    for name in ("2018", "builtin"):
        answer = builtin_client.post("/api/scenarios", json={"name": name, "toml": "year = 2018"})
        assert answer.status_code == 409 and answer.json()["field"] == "name", answer.text
    assert builtin_client.get("/api/scenarios").json()["scenarios"] == []


# -- compare ------------------------------------------------------------------------------


def test_compare_answers_the_json_of_amur_compare(builtin_client: TestClient) -> None:
    query = {"a": "2018", "b": "2022", "from": "Harbin", "to": "Belogorsk", "month": 4}
    answer = builtin_client.get("/api/compare", params=query)
    assert answer.status_code == 200, answer.text
    assert answer.json() == cli_json(
        "compare", "2018", "2022", "--from", "Harbin", "--to", "Belogorsk", "--month", "4", "--json"
    )
    row = answer.json()["rows"][0]
    # April 2018: no ice road and no ferry at Heihe, so round by Suifenhe (on the sea-rail
    # train to Vladivostok); 2022: the road bridge, faster (and, since the sea-rail train
    # pays the Suifenhe-Grodekovo crossing's fees as wagonload does, cheaper too).
    assert "heihe" not in row["via_a"] and "heihe" in row["via_b"]
    assert row["time_days_change"] < 0
    assert row["time_days_change"] == row["time_days_b"] - row["time_days_a"]


def test_compare_by_time_and_against_a_stored_scenario(builtin_client: TestClient) -> None:
    text = 'name = "copy-of-2018"\nbase = "2018"\n'
    assert (
        builtin_client.post("/api/scenarios", json={"name": "mine", "toml": text}).status_code
        == 201
    )
    answer = builtin_client.get(
        "/api/compare",
        params={
            "a": "2018",
            "b": "mine",
            "from": "Harbin",
            "to": "Hamburg",
            "month": 1,
            "by": "time",
        },
    )
    assert answer.status_code == 200, answer.text
    row = answer.json()["rows"][0]
    assert answer.json()["by"] == "time" and row["scenario_b"] == "copy-of-2018"
    assert row["time_days_change"] == 0 and row["via_a"] == row["via_b"]
    routed = builtin_client.get(
        "/api/route", params={"from": "Harbin", "to": "Hamburg", "scenario": "mine"}
    )
    assert routed.status_code == 200 and routed.json()["year"] == 2018


def test_compare_bad_requests(builtin_client: TestClient) -> None:
    good = {"a": "2018", "b": "2022", "from": "Harbin", "to": "Belogorsk"}
    assert "nope" in _bad(builtin_client, 404, "a", "/api/compare", {**good, "a": "nope"})
    _bad(builtin_client, 404, "b", "/api/compare", {**good, "b": "/etc/passwd.toml"})
    _bad(builtin_client, 404, "b", "/api/compare", {**good, "b": "../scenarios/2018.toml"})
    assert "Atlantis" in _bad(
        builtin_client, 422, "from", "/api/compare", {**good, "from": "Atlantis"}
    )
    _bad(builtin_client, 422, "to", "/api/compare", {**good, "to": "Atlantis"})
    _bad(builtin_client, 422, "month", "/api/compare", {**good, "month": 13})
    _bad(builtin_client, 422, "by", "/api/compare", {**good, "by": "speed"})
    _bad(builtin_client, 422, "to", "/api/compare", {k: v for k, v in good.items() if k != "to"})
    _bad(builtin_client, 422, "a", "/api/compare", {**good, "a": ""})


# -- market access ------------------------------------------------------------------------


def test_impact_answers_the_json_of_amur_impact(builtin_client: TestClient) -> None:
    answer = builtin_client.get("/api/impact", params={"a": "2014", "b": "today", "theta": 4})
    assert answer.status_code == 200, answer.text
    assert answer.json() == cli_json("impact", "2014", "today", "--theta", "4", "--json")
    assert answer.json()["theta"] == 4.0 and len(answer.json()["regions"]) == 19
    again = builtin_client.get("/api/impact", params={"a": "2014", "b": "today", "theta": 4})
    assert again.json() == answer.json()
    default = builtin_client.get("/api/impact", params={"a": "2014", "b": "today"}).json()
    assert default["theta"] == 5.0 and default["regions"] != answer.json()["regions"]


def test_regions_are_placed_on_network_nodes(builtin_client: TestClient) -> None:
    regions = builtin_client.get("/api/regions").json()["regions"]
    impact = builtin_client.get("/api/impact", params={"a": "2014", "b": "today"}).json()
    assert [r["region"] for r in regions] == [r["region"] for r in impact["regions"]]
    heilongjiang = next(r for r in regions if r["region"] == "CN-HL")
    assert heilongjiang["node"] == "harbin"
    harbin = builtin_client.get("/api/places", params={"q": "harbin"}).json()["places"][0]
    assert harbin["id"] == "harbin"
    assert (heilongjiang["lat"], heilongjiang["lon"]) == (harbin["lat"], harbin["lon"])
    assert (heilongjiang["lat"], heilongjiang["lon"]) == (45.75, 126.65)  # GeoNames 2037013


def test_impact_bad_requests(builtin_client: TestClient) -> None:
    good = {"a": "2014", "b": "today"}
    for theta in (0, -1, "nan", "inf", 1000, "five"):
        _bad(builtin_client, 422, "theta", "/api/impact", {**good, "theta": theta})
    assert "nope" in _bad(builtin_client, 404, "a", "/api/impact", {**good, "a": "nope"})
    _bad(builtin_client, 404, "b", "/api/impact", {**good, "b": "/etc/passwd.toml"})
    _bad(builtin_client, 422, "b", "/api/impact", {"a": "2014"})


def test_impact_of_a_stored_scenario(builtin_client: TestClient) -> None:
    # a stored copy of 2018 measures as 2018 does; an edit that closes the Primorye-1 border
    # crossing changes market access, and saving it anew is measured anew
    assert (
        builtin_client.post(
            "/api/scenarios", json={"name": "mine", "toml": 'name = "mine"\nbase = "2018"\n'}
        ).status_code
        == 201
    )
    builtin = builtin_client.get("/api/impact", params={"a": "2018", "b": "today"}).json()
    stored = builtin_client.get("/api/impact", params={"a": "mine", "b": "today"}).json()
    assert stored["regions"] == builtin["regions"] and stored["scenario_a"] == "mine"
    closed = (
        'name = "mine"\nbase = "2018"\n[[links.change]]\nid = "suifenhe-grodekovo-rail"'
        '\nstatus = "closed"\n'
    )
    assert builtin_client.delete("/api/scenarios/mine").status_code in (200, 204)
    assert (
        builtin_client.post("/api/scenarios", json={"name": "mine", "toml": closed}).status_code
        == 201
    )
    edited = builtin_client.get("/api/impact", params={"a": "mine", "b": "today"}).json()
    change = {r["region"]: r["market_access_change_pct"] for r in edited["regions"]}
    before = {r["region"]: r["market_access_change_pct"] for r in builtin["regions"]}
    assert change["RU-PRI"] > before["RU-PRI"]  # today reopens what "mine" closed


def test_impact_on_a_network_without_scenarios_is_a_4xx(client: TestClient) -> None:
    _bad(client, 404, "a", "/api/impact", {"a": "2014", "b": "today"})


# -- appraisal ----------------------------------------------------------------------------


def test_appraise_answers_the_json_of_amur_appraise(builtin_client: TestClient) -> None:
    answer = builtin_client.get(
        "/api/appraise", params={"project": "amur-road-bridge", "draws": 200}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == cli_json("appraise", "amur-road-bridge", "--draws", "200", "--json")
    assert set(answer.json()["npv"]["percentiles"]) == {"p5", "p50", "p95"}
    central = builtin_client.get("/api/appraise", params={"project": "korea-rail"}).json()
    assert central["project"] == "korea-rail" and central["discount_pct"] == 6.0
    lower = builtin_client.get(
        "/api/appraise", params={"project": "korea-rail", "discount": 3}
    ).json()
    # the rate is applied; whether a lower one raises the NPV depends on how the project's
    # benefits and costs fall over time (with the demand by commodity it falls)
    assert lower["discount_pct"] == 3.0 and lower["npv"]["value"] != central["npv"]["value"]
    from_file = builtin_client.get(
        "/api/appraise", params={"project": "amur-road-bridge", "traffic": "project"}
    )
    assert from_file.status_code == 200, from_file.text
    assert from_file.json() == cli_json(
        "appraise", "amur-road-bridge", "--traffic", "project", "--json"
    )
    assert from_file.json()["traffic_basis"] != answer.json()["traffic_basis"]


def test_appraise_bad_requests(builtin_client: TestClient) -> None:
    detail = _bad(builtin_client, 404, "project", "/api/appraise", {"project": "moon-bridge"})
    assert "amur-road-bridge" in detail  # the known projects are listed
    for path in ("../../../etc/passwd", "/etc/hosts.toml", "projects/korea-rail.toml"):
        _bad(builtin_client, 404, "project", "/api/appraise", {"project": path})
    assert "20000" in _bad(
        builtin_client,
        422,
        "draws",
        "/api/appraise",
        {"project": "amur-road-bridge", "draws": 20_001},
    )
    _bad(builtin_client, 422, "draws", "/api/appraise", {"project": "korea-rail", "draws": -1})
    _bad(
        builtin_client,
        422,
        "discount",
        "/api/appraise",
        {"project": "korea-rail", "discount": "nan"},
    )
    _bad(builtin_client, 422, "project", "/api/appraise", {})
    _bad(
        builtin_client,
        422,
        "traffic",
        "/api/appraise",
        {"project": "korea-rail", "traffic": "guess"},
    )
