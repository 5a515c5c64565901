"""GET /api/services: the JSON of `amur services --json`, a line per service for the map,
and 4xx answers naming the parameter at fault."""

from __future__ import annotations

from fastapi.testclient import TestClient

import amur

from .conftest import cli_json as _cli_json


def test_services_answer_the_json_of_amur_services(builtin_client: TestClient) -> None:
    answer = builtin_client.get("/api/services", params={"place": "Harbin", "year": 2015})
    assert answer.status_code == 200
    body = answer.json()
    expected = _cli_json("services", "--place", "Harbin", "--year", "2015", "--json")
    assert body["services"] == expected["services"]  # type: ignore[index]
    assert [s["id"] for s in body["services"]] == ["harbin_hamburg"]
    line = body["geojson"]["features"][0]
    assert line["properties"]["id"] == "harbin_hamburg"
    coordinates = line["geometry"]["coordinates"]
    harbin = amur.load().nodes.set_index("id").loc["harbin"]
    assert coordinates[0] == [harbin["lon"], harbin["lat"]]
    assert len(coordinates) == len(body["services"][0]["path"]) > 2


def test_services_of_a_scenario_take_its_year(builtin_client: TestClient) -> None:
    before = builtin_client.get("/api/services", params={"scenario": "2014"}).json()
    after = builtin_client.get("/api/services", params={"scenario": "2015"}).json()
    assert before["year"] == 2014 and after["year"] == 2015
    assert "harbin_hamburg" not in {s["id"] for s in before["services"]}
    assert "harbin_hamburg" in {s["id"] for s in after["services"]}


def test_bad_services_queries_name_the_parameter(builtin_client: TestClient) -> None:
    answer = builtin_client.get("/api/services", params={"place": "Atlantis"})
    assert answer.status_code == 422 and answer.json()["field"] == "place"
    answer = builtin_client.get("/api/services", params={"scenario": "nowhere"})
    assert answer.status_code == 404 and answer.json()["field"] == "scenario"
    answer = builtin_client.get("/api/services", params={"year": "soon"})
    assert answer.status_code == 422 and answer.json()["field"] == "year"
