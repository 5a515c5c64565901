"""The catalogue of bad inputs over HTTP: each is a JSON 4xx whose ``field`` names the
parameter or key at fault and whose ``detail`` is the message the command line gives for the
same value (after the name), and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from amur.options import check

ROUTE = {"from": "harbin", "to": "hamburg"}

#: (method, url, query or JSON body, status, field, fragments of the detail)
CASES: list[tuple[str, str, dict[str, Any], int, str, list[str]]] = [
    ("get", "/api/route", {**ROUTE, "year": 3000}, 422, "year", ["year: 3000", "[1800, 2200]"]),
    ("get", "/api/route", {**ROUTE, "year": -1}, 422, "year", ["year: -1"]),
    ("get", "/api/route", {**ROUTE, "month": 13}, 422, "month", ["month: 13"]),
    ("get", "/api/route", {**ROUTE, "alternatives": 0}, 422, "alternatives", ["alternatives: 0"]),
    ("get", "/api/route", {**ROUTE, "alternatives": 11}, 422, "alternatives", ["alternatives: 11"]),
    ("get", "/api/route", {**ROUTE, "month": "nan"}, 422, "month", ["month"]),
    (
        "get",
        "/api/route",
        {**ROUTE, "pareto": True, "via": ["manzhouli"]},
        422,
        "via",
        ["via cannot go with pareto"],
    ),
    (
        "get",
        "/api/route",
        {**ROUTE, "pareto": True, "alternatives": 2},
        422,
        "alternatives",
        ["alternatives cannot go with pareto"],
    ),
    (
        "get",
        "/api/route",
        {**ROUTE, "pareto": True, "by": "time"},
        422,
        "by",
        ["by cannot go with pareto"],
    ),
    ("get", "/api/route", {**ROUTE, "by": "speed"}, 422, "by", ["unknown criterion 'speed'"]),
    ("get", "/api/route", {"from": "harbin", "to": "atlantis"}, 422, "to", ["atlantis"]),
    ("get", "/api/route", {**ROUTE, "scenario": "nope"}, 404, "scenario", ["nope"]),
    (
        "get",
        "/api/impact",
        {"a": "2014", "b": "today", "theta": 1e308},
        422,
        "theta",
        ["theta: 1e+308", "trade elasticity"],
    ),
    ("get", "/api/impact", {"a": "2014", "b": "today", "theta": 0}, 422, "theta", ["theta: 0"]),
    (
        "get",
        "/api/impact",
        {"a": "2014", "b": "today", "theta": "nan"},
        422,
        "theta",
        ["theta: nan"],
    ),
    (
        "get",
        "/api/appraise",
        {"project": "amur-road-bridge", "draws": 10**9},
        422,
        "draws",
        ["draws: 1000000000"],
    ),
    (
        "get",
        "/api/appraise",
        {"project": "amur-road-bridge", "discount": -50},
        422,
        "discount",
        ["discount: -50", "discount rate"],
    ),
    (
        "get",
        "/api/appraise",
        {"project": "amur-road-bridge", "seed": -1},
        422,
        "seed",
        ["seed: -1"],
    ),
    ("get", "/api/appraise", {"project": "moon-bridge"}, 404, "project", ["moon-bridge"]),
    ("get", "/api/flows", {"gap": "nan"}, 422, "gap", ["gap: nan"]),
    ("get", "/api/flows", {"logit": 0}, 422, "logit", ["logit: 0"]),
    ("get", "/api/flows", {"logit": 1e308}, 422, "logit", ["logit: 1e+308"]),
    (
        "get",
        "/api/flows",
        {"logit": 1, "system_optimum": True},
        422,
        "system_optimum",
        ["choose one route choice"],
    ),
    ("get", "/api/flows", {"vc": "nan"}, 422, "vc", ["vc: nan"]),
    ("get", "/api/flows", {"algorithm": "foo"}, 422, "algorithm", ["algorithm"]),
    ("post", "/api/scenarios", {"name": "x", "toml": "name = \n"}, 422, "toml", ["TOML"]),
    (
        "post",
        "/api/scenarios",
        {"name": "itself", "toml": 'name = "itself"\nbase = "itself"\n'},
        422,
        "toml",
        ["itself"],
    ),
    (
        "post",
        "/api/scenarios",
        {
            "name": "nolink",
            "toml": 'name = "nolink"\nbase = "today"\n[[links.remove]]\nid = "no-such-link"\n',
        },
        422,
        "toml",
        ["no-such-link"],
    ),
    ("post", "/api/scenarios", {"name": "../etc", "toml": ""}, 422, "name", ["name"]),
    (
        "post",
        "/api/scenarios",
        {"name": "2018", "toml": 'name = "2018"\n'},
        409,
        "name",
        ["built-in"],
    ),
    (
        "post",
        "/api/runs",
        {"name": "r", "route": {**ROUTE, "year": 3000}},
        422,
        "year",
        ["year: 3000"],
    ),
    ("get", "/api/runs/0", {}, 422, "run_id", ["run_id"]),
]


@pytest.mark.parametrize(
    ("method", "url", "params", "status", "field", "fragments"),
    CASES,
    ids=[f"{c[1]} {c[2]}"[:70] for c in CASES],
)
def test_bad_request_is_a_json_4xx_naming_the_field(
    builtin_client: TestClient,
    method: str,
    url: str,
    params: dict[str, Any],
    status: int,
    field: str,
    fragments: list[str],
) -> None:
    if method == "get":
        answer = builtin_client.get(url, params=params)
    else:
        answer = builtin_client.post(url, json=params)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    body = answer.json()
    assert body["field"] == field, body
    for fragment in fragments:
        assert fragment in body["detail"], body
    assert builtin_client.get("/api/scenarios").json()["scenarios"] == []  # nothing stored
    assert builtin_client.get("/api/runs").json() == []


@pytest.mark.parametrize(
    ("url", "param", "value", "domain", "flag"),
    [
        ("/api/route", "year", 3000, "year", "--year"),
        ("/api/impact", "theta", 1e308, "theta", "--theta"),
        ("/api/appraise", "discount", -50, "discount_pct", "--discount"),
        ("/api/flows", "logit", 0, "logit_theta", "--logit"),
    ],
)
def test_the_api_and_the_cli_give_the_same_message(
    builtin_client: TestClient, url: str, param: str, value: float, domain: str, flag: str
) -> None:
    params = {
        "route": ROUTE,
        "impact": {"a": "2014", "b": "today"},
        "appraise": {"project": "amur-road-bridge"},
        "flows": {},
    }[url.rsplit("/", 1)[1]]
    detail = builtin_client.get(url, params={**params, param: value}).json()["detail"]
    with pytest.raises(Exception) as cli:
        check(domain, value, flag)
    assert detail.removeprefix(f"{param}: ") == str(cli.value).removeprefix(f"{flag}: ")
