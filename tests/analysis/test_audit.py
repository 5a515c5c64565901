"""The data audit: figures counted by source kind and address, addresses resolved through
combined sources, and perturbations that move the results by exactly what the data say."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

import amur
from amur.analysis.audit import (
    Figure,
    _with_figure,
    audit,
    dataset_figures,
    source_urls,
)
from amur.analysis.perturb import RESULTS, _perturbed
from amur.data import dataset_path
from amur.graph import expand


@pytest.fixture(scope="module")
def net() -> amur.Network:
    """The built-in network on its links alone. The audit perturbs infrastructure figures;
    a scheduled service's ride arcs share a link's length among the hops of the service,
    which the fast path (perturbing arcs) does not follow, and today's Harbin–Hamburg route
    rides a block train whose gauge changes are inside its own time."""
    import dataclasses

    from amur.network.services import empty_services

    return dataclasses.replace(
        amur.load("northeast-asia"), services=empty_services(), name="northeast-asia"
    )


@pytest.fixture(scope="module")
def report(net: amur.Network) -> dict[str, object]:
    return audit(net, assignments=False).to_dict()


def figure(net: amur.Network, table: str, ident: str, column: str) -> Figure:
    found = [
        f
        for f in dataset_figures(net, dataset_path("northeast-asia"))
        if f.key == (table, ident, column)
    ]
    assert len(found) == 1
    return found[0]


def test_the_audit_json_has_the_documented_shape(report: dict[str, object]) -> None:
    assert {"figures", "by_kind", "with_url_share", "critical", "critical_with_url_share"} <= set(
        report
    )
    by_kind = report["by_kind"]
    assert isinstance(by_kind, dict) and sum(by_kind.values()) == report["figures"]
    assert 0.0 <= float(report["with_url_share"]) <= 1.0  # type: ignore[arg-type]
    critical = report["critical"]
    assert isinstance(critical, list) and critical
    for row in critical:
        assert {"table", "id", "column", "value", "source_id", "kind", "url", "effect"} <= set(row)
        assert set(row["effect"]) <= set(RESULTS)
    scores = [row["score"] for row in critical]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0
    json.dumps(report)  # serialisable as it is
    share = sum(bool(row["urls"]) for row in critical) / len(critical)
    assert report["critical_with_url_share"] == pytest.approx(share, abs=1e-4)


def test_figures_are_every_number_of_the_tables(net: amur.Network) -> None:
    figures = dataset_figures(net, dataset_path("northeast-asia"))
    lengths = [f for f in figures if f.table == "links" and f.column == "length_km"]
    assert len(lengths) == net.links["length_km"].notna().sum()
    regimes = [f for f in figures if f.table == "regimes" and f.column == "time_h"]
    assert len(regimes) == len(net.regimes)
    capacities = [f for f in figures if f.table == "flow_parameters"]
    flow = pd.read_csv(dataset_path("northeast-asia") / "flow_parameters.csv")
    assert len(capacities) == len(flow)


def test_a_figure_on_the_route_moves_the_result_by_what_it_adds(
    net: amur.Network, report: dict[str, object]
) -> None:
    """The Chinese export border at Dalian is on the Harbin-Hamburg route on the links alone
    (wagonload rail loses to the sea): -20 % of its typical hours moves the route's time by
    -20 % of them; +20 % by at most that (the route may change), and it is among the critical
    figures."""
    fig = figure(net, "regimes", "dalian|border|any|CN>DE", "time_h")
    rows = {(r["table"], r["id"], r["column"]): r for r in report["critical"]}  # type: ignore
    effect = rows[fig.key]["effect"]["harbin_hamburg_time_h"]
    assert effect["minus_20pct"] == pytest.approx(-0.2 * fig.value)
    assert 0 < effect["plus_20pct"] <= 0.2 * fig.value + 1e-9


def test_a_figure_off_the_routes_is_not_critical(
    net: amur.Network, report: dict[str, object]
) -> None:
    keys = {(r["table"], r["id"], r["column"]) for r in report["critical"]}  # type: ignore
    assert ("links", "tumen-rajin-rail", "length_km") not in keys
    assert ("nodes", "harbin", "lat") not in keys


def test_perturbing_arcs_matches_rebuilding_the_network(net: amur.Network) -> None:
    """The fast path (arcs of the expanded graph) agrees with a network rebuilt with the
    figure changed, for a link, a regime and a node figure."""
    g = expand(net)
    for key in (
        ("links", "moscow-brest-rail", "speed_kmh"),
        ("links", "harbin-manzhouli-rail", "length_km"),
        ("regimes", "manzhouli|border|rail|CN>RU", "fee_usd_per_teu"),
        ("regimes", "brest|gauge_change|rail|both", "time_h_high"),
        ("nodes", "vladivostok", "handling_time_h"),
    ):
        fig = figure(net, *key)
        fast = _perturbed(g, fig, 1.2)
        rebuilt = _with_figure(net, fig, 1.2)
        assert fast is not None and rebuilt is not None
        slow = expand(rebuilt)
        for name in ("time_h", "time_h_low", "time_h_high", "cost_usd"):
            assert np.allclose(np.sort(getattr(fast, name)), np.sort(getattr(slow, name))), (
                key,
                name,
            )
        assert any(
            not np.allclose(getattr(fast, name), getattr(g, name))
            for name in ("time_h", "time_h_low", "time_h_high", "cost_usd")
        ), key


def test_addresses_resolve_through_combinations() -> None:
    sources = pd.DataFrame(
        {
            "id": ["a", "b", "c", "ab", "ac"],
            "kind": ["verified", "verified", "estimate", "derived", "derived"],
            "url": ["https://a.example/x", "https://b.example/y", "", "", ""],
            "note": ["", "", "judgement", "combines a, b: x from a", "combines a, c: y"],
        }
    )
    urls = source_urls(sources)
    assert urls["ab"] == ("https://a.example/x", "https://b.example/y")
    assert urls["ac"] == ()  # c has no address
    assert urls["c"] == ()


def test_baseline_results_are_the_routes(net: amur.Network, report: dict[str, object]) -> None:
    best = amur.route(net, "Harbin", "Hamburg")[0]
    baseline = report["baseline"]
    assert baseline["harbin_hamburg_time_h"] == pytest.approx(best.time_h)  # type: ignore
    assert baseline["harbin_hamburg_cost_usd_per_teu"] == pytest.approx(  # type: ignore
        best.cost_usd_per_teu
    )
    v = amur.route(net, "Harbin", "Niigata", via=["Vladivostok"], by="time", year=2026)[0]
    t = amur.route(net, "Harbin", "Niigata", via=["Tianjin"], by="time", year=2026)[0]
    assert baseline["primorye_time_ratio"] == pytest.approx(v.time_h / t.time_h)  # type: ignore
    assert math.isfinite(baseline["primorye_time_ratio"])  # type: ignore


def test_a_step_out_of_range_is_an_input_error() -> None:
    from amur.errors import InputError

    with pytest.raises(InputError, match=r"step 1\.5"):
        audit(step=1.5, assignments=False)
