"""Closures over HTTP: the ``avoid`` query parameter of /api/route and /api/flows."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import cli_json as _cli_json


def test_route_avoid_is_the_json_of_amur_route_avoid(builtin_client: TestClient) -> None:
    avoid = ["Zabaykalsk", "Grodekovo", "Blagoveshchensk", "Nizhneleninskoye"]
    answer = builtin_client.get(
        "/api/route", params={"from": "Harbin", "to": "Hamburg", "avoid": avoid}
    )
    assert answer.status_code == 200
    expected = _cli_json(
        "route", "Harbin", "Hamburg", *[a for p in avoid for a in ("--avoid", p)], "--json"
    )
    assert answer.json() == expected
    via = answer.json()["routes"][0]["via"]
    assert not set(via) & {"zabaykalsk", "grodekovo", "blagoveshchensk", "nizhneleninskoye"}


def test_avoiding_an_unknown_place_is_a_422_naming_avoid(builtin_client: TestClient) -> None:
    answer = builtin_client.get(
        "/api/route", params={"from": "Harbin", "to": "Hamburg", "avoid": "Atlantis"}
    )
    assert answer.status_code == 422
    assert "avoid" in answer.text and "Atlantis" in answer.text
