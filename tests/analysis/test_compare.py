"""compare() on the hand-built crossing, with every number worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from amur.analysis import compare, read_od
from amur.network import Network
from amur.scenarios import load_scenario


def test_compare_2018_against_2022_at_break_up(amur_net: Network, timeline_dir: Path) -> None:
    a = load_scenario(timeline_dir / "y2018.toml", amur_net)
    b = load_scenario(timeline_dir / "y2022.toml", amur_net)
    table = compare(amur_net, a, b, [("Hub", "Junction")], month=4, by="time")
    row = table.iloc[0]
    assert (row["from"], row["to"]) == ("h", "be")
    # A (2018, April): no crossing at the river; rail 500 km + 25 km + 1000 km at 50 km/h
    # = 30.5 h, border 10 + 20 h, gauge change 30 h: 90.5 h. Cost 0.5 USD/TEU-km x 1525 km
    # = 762.5, border 300, gauge change 200: 1262.5. CO2 0.02 kg/tkm x 10 t x 1525 km = 305.
    assert row["length_km_a"] == pytest.approx(1525.0)
    assert row["time_days_a"] == pytest.approx(90.5 / 24)
    assert row["cost_usd_per_teu_a"] == pytest.approx(1262.5)
    assert row["co2_kg_per_teu_a"] == pytest.approx(305.0)
    assert row["via_a"] == "sf > gr"
    # B (2022): rail 500 km (10 h, 250 USD), handling 5 h and 25 USD, bridge 20 km at 40 km/h
    # (0.5 h, 1 USD/TEU-km: 20 USD), border 30 h and 300 USD, handling 5 h and 25 USD, rail
    # 100 km (2 h, 50 USD): 52.5 h and 670 USD. CO2 (600 km x 0.02 + 20 km x 0.09) x 10 = 138.
    assert row["length_km_b"] == pytest.approx(620.0)
    assert row["time_days_b"] == pytest.approx(52.5 / 24)
    assert row["cost_usd_per_teu_b"] == pytest.approx(670.0)
    assert row["co2_kg_per_teu_b"] == pytest.approx(138.0)
    assert row["via_b"] == "hh > bl"
    assert row["modes_b"] == "rail > road > rail"
    assert row["time_days_change"] == pytest.approx((52.5 - 90.5) / 24)
    assert row["cost_usd_per_teu_change"] == pytest.approx(670.0 - 1262.5)
    assert row["length_km_change"] == pytest.approx(620.0 - 1525.0)
    assert (row["scenario_a"], row["scenario_b"], row["month"]) == ("2018", "2022", 4)


def test_compare_reports_no_route(amur_net: Network, tmp_path: Path, timeline_dir: Path) -> None:
    cut = tmp_path / "cut.toml"
    cut.write_text('name = "cut"\nyear = 2018\n[links]\nremove = ["sf-gr"]\n', encoding="utf-8")
    a = load_scenario(timeline_dir / "y2018.toml", amur_net)
    table = compare(amur_net, a, load_scenario(cut, amur_net), [("h", "be")], month=4)
    row = table.iloc[0]
    assert row["via_b"] == "no route"
    assert row["time_days_b"] != row["time_days_b"]  # NaN
    assert row["time_days_change"] != row["time_days_change"]


def test_read_od(tmp_path: Path) -> None:
    path = tmp_path / "od.csv"
    path.write_text("from,to\nHarbin,Hamburg\nharbin, busan\n", encoding="utf-8")
    assert read_od(str(path)) == [("Harbin", "Hamburg"), ("harbin", "busan")]
    (tmp_path / "bad.csv").write_text("origin,to\na,b\n", encoding="utf-8")
    from amur.errors import InputError

    with pytest.raises(InputError, match="missing column 'from'"):
        read_od(str(tmp_path / "bad.csv"))
