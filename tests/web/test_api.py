"""The HTTP API: each endpoint, and each bad request answered 4xx with a message naming the
field at fault."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from .conftest import cli_json as _cli_json


def test_route_answers_the_json_of_amur_route(client: TestClient, network_folder: Path) -> None:
    query = {"from": "Harbin", "to": "Hamburg", "by": "time", "month": 1, "alternatives": 3}
    answer = client.get("/api/route", params=query)
    assert answer.status_code == 200
    expected = _cli_json(
        "route",
        "Harbin",
        "Hamburg",
        "--by",
        "time",
        "--month",
        "1",
        "-k",
        "3",
        "--network",
        str(network_folder),
        "--json",
    )
    assert answer.json() == expected
    routes = answer.json()["routes"]
    assert [r["rank"] for r in routes] == [1, 2, 3]
    assert routes[0]["via"][:2] == ["heihe", "blagoveshchensk"]  # on the ice in January


def test_the_default_route_is_the_same_document_on_both_sides(builtin_client: TestClient) -> None:
    answer = builtin_client.get("/api/route", params={"from": "Harbin", "to": "Hamburg"})
    assert answer.status_code == 200
    assert answer.json() == _cli_json("route", "Harbin", "Hamburg", "--json")
    assert answer.json()["schema_version"] == 2


def test_route_follows_the_month_year_and_via(client: TestClient) -> None:
    april = client.get(
        "/api/route", params={"from": "harbin", "to": "hamburg", "by": "time", "month": 4}
    ).json()
    assert april["month"] == 4 and april["routes"][0]["via"][0] == "manzhouli"
    forced = client.get(
        "/api/route", params={"from": "哈尔滨", "to": "Hamburg", "via": ["Dalian"]}
    ).json()
    assert forced["from"] == "harbin" and "dalian" in forced["routes"][0]["via"]
    legs = forced["routes"][0]["legs"]
    assert legs[0]["from"] == "harbin" and legs[-1]["to"] == "hamburg"
    pareto = client.get(
        "/api/route", params={"from": "Harbin", "to": "Hamburg", "pareto": True}
    ).json()
    assert pareto["by"] == "pareto:time,cost" and len(pareto["routes"]) >= 2


def test_places_search_as_you_type(client: TestClient) -> None:
    found = client.get("/api/places", params={"q": "bla"}).json()["places"]
    assert [p["id"] for p in found] == ["blagoveshchensk"]
    by_alias = client.get("/api/places", params={"q": "Харб"}).json()["places"]
    assert [p["id"] for p in by_alias] == ["harbin"]
    inside = client.get("/api/places", params={"q": "ost"}).json()["places"]
    assert {p["id"] for p in inside} == {"vladivostok"}
    every = client.get("/api/places", params={"limit": 1000}).json()
    assert every["network"] == "corridors" and len(every["places"]) == 14
    assert client.get("/api/places", params={"q": "", "limit": 3}).json()["places"].__len__() == 3


def test_network_geojson_has_nodes_and_links_with_mode_and_status(client: TestClient) -> None:
    collection = client.get("/api/network.geojson").json()
    assert collection["type"] == "FeatureCollection"
    nodes = [f for f in collection["features"] if f["properties"]["feature_type"] == "node"]
    links = [f for f in collection["features"] if f["properties"]["feature_type"] == "link"]
    assert len(nodes) == 14 and len(links) == 17
    bridge = next(f for f in links if f["properties"]["id"] == "amur-road-bridge")
    assert bridge["properties"]["mode"] == "road" and bridge["properties"]["status"] == "planned"
    assert bridge["geometry"]["type"] == "LineString"
    harbin = next(f for f in nodes if f["properties"]["id"] == "harbin")
    assert harbin["geometry"]["coordinates"] == [126.642, 45.757]


def test_scenarios_create_list_show_delete(client: TestClient) -> None:
    text = 'name = "bridge"\nyear = 2020\n'
    created = client.post("/api/scenarios", json={"name": "bridge", "toml": text})
    assert created.status_code == 201
    assert created.json()["toml"] == text and created.json()["applied"] is True
    listed = client.get("/api/scenarios").json()
    assert [s["name"] for s in listed["scenarios"]] == ["bridge"]
    assert client.get("/api/scenarios/bridge").json()["toml"] == text
    again = client.post("/api/scenarios", json={"name": "bridge", "toml": text})
    assert again.status_code == 409 and again.json()["field"] == "name"
    assert client.delete("/api/scenarios/bridge").status_code == 204
    gone = client.get("/api/scenarios/bridge")
    assert gone.status_code == 404 and gone.json() == {
        "detail": "name: no stored scenario named 'bridge'",
        "field": "name",
    }


def test_route_under_a_stored_scenario(client: TestClient) -> None:
    thaw = 'name = "thaw"\nmonth = 4\n'
    assert client.post("/api/scenarios", json={"name": "thaw", "toml": thaw}).status_code == 201
    answer = client.get(
        "/api/route", params={"from": "Harbin", "to": "Hamburg", "by": "time", "scenario": "thaw"}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["scenario"] == "thaw" and answer.json()["month"] == 4
    assert answer.json()["routes"][0]["via"][0] == "manzhouli"  # no ice, no ferry in April
    bad = client.post("/api/scenarios", json={"name": "bad", "toml": 'name = "b"\nmonth = 13\n'})
    assert bad.status_code == 422 and bad.json()["field"] == "toml"
    assert "month" in bad.json()["detail"]
    missing = client.get(
        "/api/route", params={"from": "Harbin", "to": "Hamburg", "scenario": "nope"}
    )
    assert missing.status_code == 404 and missing.json()["field"] == "scenario"
    assert "nope" in missing.json()["detail"]


def test_runs_are_computed_saved_listed_and_deleted(client: TestClient) -> None:
    saved = client.post(
        "/api/runs",
        json={
            "name": "winter",
            "route": {"from": "Harbin", "to": "Hamburg", "by": "time", "month": 1},
        },
    )
    assert saved.status_code == 201
    run = saved.json()
    assert run["result"]["routes"][0]["via"][0] == "heihe"
    assert run["params"]["from"] == "Harbin" and run["params"]["month"] == 1
    assert [r["id"] for r in client.get("/api/runs").json()] == [run["id"]]
    assert client.get(f"/api/runs/{run['id']}").json() == run
    assert client.delete(f"/api/runs/{run['id']}").status_code == 204
    assert client.get(f"/api/runs/{run['id']}").status_code == 404


def test_a_run_id_beyond_sqlite_integers_is_a_4xx(client: TestClient) -> None:
    for method in ("GET", "DELETE"):
        _bad(client, 422, "run_id", method, f"/api/runs/{2**63}")
        _bad(client, 422, "run_id", method, "/api/runs/0")


def test_capabilities_and_openapi(client: TestClient) -> None:
    caps = client.get("/api/capabilities").json()
    assert caps["network"] == "corridors" and caps["scenarios_applied"] is True
    spec = client.get("/openapi.json").json()
    assert {
        "/api/route",
        "/api/places",
        "/api/network.geojson",
        "/api/scenarios",
        "/api/scenarios/{name}",
        "/api/runs",
        "/api/scenarios/builtin",
        "/api/compare",
        "/api/impact",
        "/api/appraise",
        "/api/regions",
    } <= set(spec["paths"])
    errors = spec["paths"]["/api/route"]["get"]["responses"]["422"]
    assert errors["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")


def test_the_page_and_its_assets_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "/static/app.js" in page.text
    assert "http" not in page.text.replace("http-equiv", "")  # nothing from elsewhere
    for asset in (
        "app.js",
        "app.css",
        "maplibre-gl-worker.js",
        "countries.geojson",
        "THIRD_PARTY_LICENSES.txt",
    ):
        assert client.get(f"/static/{asset}").status_code == 200, asset
    assert "javascript" in client.get("/static/app.js").headers["content-type"]


# -- bad requests: 4xx, never 5xx, with the field at fault -----------------------------------


def _bad(
    client: TestClient, status: int, field: str, method: str, url: str, **kwargs: object
) -> str:
    answer = client.request(method, url, **kwargs)  # type: ignore[arg-type]
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body["field"] == field, body
    assert field in body["detail"], body
    return str(body["detail"])


def test_unknown_place(client: TestClient) -> None:
    detail = _bad(
        client, 422, "to", "GET", "/api/route", params={"from": "Harbin", "to": "Atlantis"}
    )
    assert "Atlantis" in detail
    _bad(client, 422, "from", "GET", "/api/route", params={"from": "Harbni", "to": "Hamburg"})
    _bad(
        client,
        422,
        "via",
        "GET",
        "/api/route",
        params={"from": "Harbin", "to": "Hamburg", "via": "Nowhere"},
    )


def test_month_13_and_other_bad_queries(client: TestClient) -> None:
    detail = _bad(
        client,
        422,
        "month",
        "GET",
        "/api/route",
        params={"from": "Harbin", "to": "Hamburg", "month": 13},
    )
    assert "12" in detail
    _bad(
        client,
        422,
        "month",
        "GET",
        "/api/route",
        params={"from": "Harbin", "to": "Hamburg", "month": "July"},
    )
    _bad(
        client,
        422,
        "by",
        "GET",
        "/api/route",
        params={"from": "Harbin", "to": "Hamburg", "by": "speed"},
    )
    _bad(client, 422, "to", "GET", "/api/route", params={"from": "Harbin"})
    _bad(
        client,
        422,
        "alternatives",
        "GET",
        "/api/route",
        params={"from": "Harbin", "to": "Hamburg", "alternatives": 0},
    )


def test_no_route_is_a_4xx(client: TestClient) -> None:
    # In 1850 no link of the test network had opened but the sea lane (no opening year),
    # and no railway reaches Dalian yet.
    answer = client.get(
        "/api/route", params={"from": "Harbin", "to": "Hamburg", "by": "time", "year": 1850}
    )
    assert answer.status_code == 422 and answer.json()["field"] == "to"


def test_invalid_toml(client: TestClient) -> None:
    detail = _bad(
        client,
        422,
        "toml",
        "POST",
        "/api/scenarios",
        json={"name": "broken", "toml": "year = 2030\nname = \n"},
    )
    assert "line" in detail
    assert client.get("/api/scenarios").json()["scenarios"] == []
    _bad(client, 422, "name", "POST", "/api/scenarios", json={"name": "../etc", "toml": ""})
    _bad(
        client,
        422,
        "body",
        "POST",
        "/api/scenarios",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )


def test_oversized_upload(client: TestClient) -> None:
    big = "# " + "x" * 1_100_000 + "\n"
    _bad(client, 413, "body", "POST", "/api/scenarios", json={"name": "big", "toml": big})

    def chunks() -> object:  # no content-length: counted as it streams
        yield b'{"name": "big", "toml": "'
        for _ in range(12):
            yield b"x" * 100_000
        yield b'"}'

    _bad(
        client,
        413,
        "body",
        "POST",
        "/api/scenarios",
        content=chunks(),
        headers={"content-type": "application/json"},
    )
    assert client.get("/api/scenarios").json()["scenarios"] == []


def test_a_body_that_is_not_utf8_json(client: TestClient) -> None:
    _bad(
        client,
        422,
        "body",
        "POST",
        "/api/scenarios",
        content=b"\xff\xfe{",
        headers={"content-type": "application/json"},
    )


def test_scenarios_that_cannot_apply_are_not_stored(client: TestClient) -> None:
    cases = {
        "itself": ('name = "itself"\nbase = "itself"\n', "itself"),
        "nolink": ('name = "nolink"\n[[links.remove]]\nid = "no-such-link"\n', "no-such-link"),
        "nobase": ('name = "nobase"\nbase = "atlantis"\n', "atlantis"),
    }
    for name, (text, named) in cases.items():
        answer = client.post("/api/scenarios", json={"name": name, "toml": text})
        assert answer.status_code == 422, answer.text
        assert answer.json()["field"] == "toml" and named in answer.json()["detail"]
        assert client.get(f"/api/scenarios/{name}").status_code == 404  # nothing stored
    assert client.get("/api/scenarios").json()["scenarios"] == []


def test_a_changed_stored_scenario_is_applied_afresh(client: TestClient) -> None:
    """Applied scenarios are cached; the cache key holds the stored text's version."""
    route = {"from": "Harbin", "to": "Hamburg", "by": "time", "scenario": "season"}
    for month in (4, 1, 4):
        client.delete("/api/scenarios/season")
        text = f'name = "season"\nmonth = {month}\n'
        assert (
            client.post("/api/scenarios", json={"name": "season", "toml": text}).status_code == 201
        )
        answer = client.get("/api/route", params=route).json()
        assert answer["month"] == month
        first = answer["routes"][0]["via"][0]
        assert first == ("heihe" if month == 1 else "manzhouli")  # the ice road in January
