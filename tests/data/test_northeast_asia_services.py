"""The built-in services: each figure rests on a source with an address, or on a derivation
or estimate that says what it rests on; each service has a path in the years it runs; and
`amur services --json` lists them with their figures and sources."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import amur
from amur.graph.service_list import describe_services
from amur.network.services import SERVICE_SOURCE_COLUMNS, hop_values, service_calls
from cli_support import assert_one_line_error, run

NET = amur.load("northeast-asia")
FIGURES = {
    "departures_per_week": "frequency_source_id",
    "time_h": "time_source_id",
    "speed_kmh": "time_source_id",
    "price": "price_source_id",
    "subsidy": "subsidy_source_id",
    "capacity_per_departure": "capacity_source_id",
}


def test_every_figure_has_a_source_that_resolves() -> None:
    sources = NET.sources.set_index("id")
    for rec in NET.services.to_dict("records"):
        for figure, column in FIGURES.items():
            if pd.isna(rec[figure]) or rec[figure] == "":
                continue
            sid = rec[column]
            assert isinstance(sid, str) and sid in sources.index, (rec["id"], figure)
            source = sources.loc[sid]
            if source["kind"] == "verified":
                assert str(source["url"]).startswith("http"), sid
            elif source["kind"] == "estimate":  # marked, and the note says why
                assert len(str(source["note"])) > 40, sid
            else:  # derived: the note says how, from sources with an address
                assert source["kind"] == "derived", sid
                cited = set(re.findall(r"[a-z][a-z0-9_]+", str(source["note"])))
                with_url = {
                    s
                    for s in cited & set(sources.index)
                    if str(sources.loc[s, "url"]).startswith("http")
                }
                assert with_url, f"{sid} rests on no source with an address"


def test_every_service_has_a_path_in_every_year_it_runs() -> None:
    for rec in NET.services.to_dict("records"):
        last = rec["last_year"] if pd.notna(rec["last_year"]) else 2026
        for year in range(int(rec["first_year"]), int(last) + 1):
            found = describe_services(NET, year=year)
            mine = [s for s in found if s["id"] == rec["id"]]
            assert mine and mine[0]["path"], (rec["id"], year)
            assert mine[0]["path"][0] == service_calls(rec["calls"])[0]
            assert mine[0]["path"][-1] == service_calls(rec["calls"])[-1]


def test_the_harbin_hamburg_train_as_published() -> None:
    train = NET.services.set_index("id").loc["harbin_hamburg"]
    assert int(train["first_year"]) == 2015  # first run 13 June 2015
    assert float(train["departures_per_week"]) == 1  # "once every week"
    assert hop_values(train["time_h"], 1) == [360.0]  # "each single trip takes 15 days"
    assert service_calls(train["via"]) == ["manzhouli", "zabaykalsk", "brest"]


def test_services_json_lists_figures_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["services", "--json"], capsys)
    assert code == 0, err
    listed = json.loads(out)["services"]
    assert {s["id"] for s in listed} == set(NET.services["id"])
    for s in listed:
        assert len(s["calls"]) >= 2 and s["departures_per_week"] > 0
        assert s["time_h"] and s["time_h"] > 0
        for column in SERVICE_SOURCE_COLUMNS:
            if s[column]:
                assert s[column] in s["sources"]
                assert s["sources"][s[column]]["url"] or s["sources"][s[column]]["kind"] in (
                    "derived",
                    "estimate",
                )
    harbin = next(s for s in listed if s["id"] == "harbin_hamburg")
    assert harbin["price_usd_per_teu"] == 3500 and harbin["subsidy_usd_per_teu"] == 1100
    assert harbin["capacity_teu_per_departure"] == 82


def test_services_filters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["services", "--json", "--place", "Harbin", "--year", "2014"], capsys)
    assert code == 0 and json.loads(out)["services"] == []
    code, out, _ = run(["services", "--json", "--place", "哈尔滨", "--year", "2015"], capsys)
    assert [s["id"] for s in json.loads(out)["services"]] == ["harbin_hamburg"]
    code, out, _ = run(["services", "--json", "--operator", "fesco"], capsys)
    assert {s["id"] for s in json.loads(out)["services"]} == {"fesco_krs", "jtsl"}
    code, _, err = run(["services", "--place", "Atlantis"], capsys)
    assert_one_line_error(code, err, "unknown place 'Atlantis'")
