"""HTML reports: written under DIR/impact/<a>-<b>/ and DIR/appraise/<project>/ with PNG
charts, the same numbers as the command's JSON, and no partial folder when a write fails."""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import amur
from amur.errors import InputError
from amur.impact import MarketAccessChange, appraise, compare_scenarios
from amur.report import html as report_html
from amur.report.html import PNG_SIGNATURE, appraisal_report, impact_report, slug
from cli_support import run

PROJECT = """\
[project]
id = "small"
name = "Small bridge"
[capital]
years = [2020]
cost_usd_mn = [100.0]
[operations]
opening_year = 2021
horizon_years = 2
operating_cost_usd_mn_per_year = 10.0
[traffic]
per_year = 1_000_000
without_per_year = 500_000
growth_pct = 20.0
[tariff]
usd_per_unit = 40.0
[benefits]
generalized_cost_saving_usd_per_unit = 80.0
[financing]
loan_usd_mn = 30.0
interest_pct = 5.0
grace_years = 1
maturity_years = 2
start_year = 2020
[uncertainty]
traffic_growth_sd_pct = 5.0
traffic_level = [0.6, 1.0, 1.2]
capital_overrun = [1.0, 1.1, 1.6]
"""


class Cells(HTMLParser):
    """Rows of numeric cells (``data-value``, displayed text) of each table, by table id,
    and the ``data-key`` spans."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[tuple[str, str]]]] = {}
        self.spans: dict[str, str] = {}
        self._table: str | None = None
        self._value: str | None = None
        self._key: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self._table = a.get("id") or ""
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag in ("td", "span") and "data-value" in a:
            self._value, self._key, self._text = a["data-value"], a.get("data-key"), ""

    def handle_data(self, data: str) -> None:
        self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag == "td" and self._value is not None and self._table is not None:
            self.tables[self._table][-1].append((self._value, self._text))
            self._value = None
        elif tag == "span" and self._value is not None:
            if self._key:
                self.spans[self._key] = self._value
            self._value = None


def parse(path: Path) -> Cells:
    cells = Cells()
    cells.feed(path.read_text(encoding="utf-8"))
    return cells


def number(value: str) -> float | None:
    return None if value == "null" else float(value)


def assert_png(path: Path) -> None:
    assert path.is_file(), path
    assert path.read_bytes()[:8] == PNG_SIGNATURE, path
    assert path.stat().st_size > 5000, path  # a drawn chart, not an empty canvas


def test_impact_report_matches_the_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        [
            "impact",
            "2014",
            "today",
            "--json",
            "--kind",
            "combined",
            "--report",
            str(tmp_path / "out"),
        ],
        capsys,
    )
    assert code == 0, err
    payload = json.loads(out)
    folder = tmp_path / "out" / "impact" / "2014-today"
    assert f"report written to {folder / 'index.html'}" in err
    assert_png(folder / "market_access_change.png")
    assert_png(folder / "trade_change.png")
    assert json.loads((folder / "report.json").read_text()) == payload
    page = (folder / "index.html").read_text()
    assert "src='market_access_change.png'" in page and "src='trade_change.png'" in page
    assert "ESTIMATE" in page and "combined market access" in page
    rows = [r for r in parse(folder / "index.html").tables["regions"] if r]
    assert len(rows) == len(payload["regions"]) == 19
    keys = (
        "market_access_a",
        "market_access_b",
        "market_access_change_pct",
        "trade_change_pct",
        "land_rent_change_usd_mn",
    )
    for row, region in zip(rows, payload["regions"], strict=True):
        for (value, shown), key in zip(row, keys, strict=True):
            assert number(value) == region[key], (region["region"], key)
            if region[key] is None:
                assert shown == "n/a"
            else:  # displayed rounded: to 0.1 for market access, else 0.0001 / 0.001
                assert float(shown.replace(",", "")) == pytest.approx(region[key], abs=0.051)
    amur_oblast = next(r for r in payload["regions"] if r["region"] == "RU-AMU")
    assert amur_oblast["market_access_change_pct"] > 0.1


def test_appraisal_report_matches_the_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "small.toml"
    project.write_text(PROJECT, encoding="utf-8")
    code, out, err = run(
        ["appraise", str(project), "--draws", "500", "--json", "--report", str(tmp_path / "out")],
        capsys,
    )
    assert code == 0, err
    payload = json.loads(out)
    folder = tmp_path / "out" / "appraise" / "small"
    for chart in ("dscr_by_year.png", "npv_distribution.png", "dscr_distribution.png"):
        assert_png(folder / chart)
    assert json.loads((folder / "report.json").read_text()) == payload
    cells = parse(folder / "index.html")
    measures = [r for r in cells.tables["measures"] if r]
    expected = [
        (payload["npv"]["value"], payload["npv"]["percentiles"]),
        (payload["bcr"]["value"], payload["bcr"]["percentiles"]),
        (payload["irr"]["value"], payload["irr"]["percentiles"]),
        (payload["dscr"]["min"], payload["dscr"]["min_percentiles"]),
        (payload["dscr"]["min_operating"], payload["dscr"]["min_operating_percentiles"]),
    ]
    for row, (central, pct) in zip(measures, expected, strict=True):
        assert [number(v) for v, _ in row] == [central, pct["p5"], pct["p50"], pct["p95"]]
    by_year = {int(y): v for y, v in payload["dscr"]["by_year"].items()}
    dscr_rows = [r for r in cells.tables["dscr"] if r]
    assert [number(r[2][0]) for r in dscr_rows] == list(by_year.values())
    assert by_year[2022] == pytest.approx(38 / 31.5, abs=1e-6)  # the hand-worked DSCR
    for key in ("probability_min_below_1", "probability_min_below_covenant"):
        assert float(cells.spans[key]) == payload["dscr"][key]


def test_appraisal_report_without_draws_has_the_dscr_chart_only(tmp_path: Path) -> None:
    project = tmp_path / "small.toml"
    project.write_text(PROJECT, encoding="utf-8")
    index = appraisal_report(appraise(str(project)), tmp_path)
    assert_png(index.parent / "dscr_by_year.png")
    assert not (index.parent / "npv_distribution.png").exists()
    assert "covenant DSCR 1.3" in index.read_text()


def _small_change() -> MarketAccessChange:
    return compare_scenarios(amur.load("northeast-asia"), "2014", "today")


def test_a_failing_write_leaves_no_partial_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    change = _small_change()
    calls = []

    def disk_full(path: Path, *args: object) -> None:
        calls.append(path)
        if len(calls) == 2:  # the first chart is on disk by now
            raise OSError(28, "No space left on device")
        path.write_bytes(PNG_SIGNATURE)

    monkeypatch.setattr(report_html, "_bar_chart", disk_full)
    with pytest.raises(InputError, match=r"cannot write \(the disk is full\)"):
        impact_report(change, tmp_path)
    assert calls[0].exists() is False  # the chart written before the failure is gone
    parent = tmp_path / "impact"
    assert list(parent.iterdir()) == []  # no report folder, no temporary folder


def test_a_failing_write_keeps_the_previous_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    change = _small_change()
    index = impact_report(change, tmp_path)
    before = {p.name: p.read_bytes() for p in index.parent.iterdir()}

    def broken(*args: object) -> None:
        raise RuntimeError("matplotlib broke")

    monkeypatch.setattr(report_html, "_bar_chart", broken)
    with pytest.raises(RuntimeError, match="matplotlib broke"):
        impact_report(change, tmp_path)
    assert {p.name: p.read_bytes() for p in index.parent.iterdir()} == before
    assert [p.name for p in (tmp_path / "impact").iterdir()] == ["2014-today"]


def test_a_second_report_replaces_the_first(tmp_path: Path) -> None:
    change = _small_change()
    first = impact_report(change, tmp_path)
    (first.parent / "stale.txt").write_text("from an older run")
    second = impact_report(change, tmp_path)
    assert second == first
    assert not (first.parent / "stale.txt").exists()
    assert [p.name for p in (tmp_path / "impact").iterdir()] == ["2014-today"]


def test_an_unwritable_report_folder_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("a file where the report folder should go")
    code, _, err = run(["impact", "2014", "today", "--report", str(blocker)], capsys)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"amur: error: --report {blocker}: is a file")


def test_report_with_story_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["impact", "--story", "--report", str(tmp_path)], capsys)
    assert code == 2 and err.startswith("amur: error: --report is not available with --story")


def test_slug_of_labels() -> None:
    assert slug("2014") == "2014"
    assert slug("scenarios/korea rail.toml") == "korea_rail"
    assert slug("../..") == "scenario"


def test_importing_the_report_module_does_not_import_matplotlib() -> None:
    code = (
        "import sys, amur.report.html; "
        "sys.exit(1 if any(m.startswith('matplotlib') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
