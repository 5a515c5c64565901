"""`amur data audit`: JSON of the documented shape, a table, one-line errors."""

from __future__ import annotations

import json

import pytest

from cli_support import assert_one_line_error, run


def test_data_audit_json_routes_only(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["data", "audit", "--routes-only", "--json"], capsys)
    assert code == 0, err
    payload = json.loads(out)
    assert {"figures", "by_kind", "with_url_share", "critical", "critical_with_url_share"} <= set(
        payload
    )
    assert payload["figures"] == sum(payload["by_kind"].values())
    first = payload["critical"][0]
    assert {"table", "id", "column", "value", "source_id", "kind", "url", "effect"} <= set(first)
    assert set(first["effect"]) == {
        "harbin_hamburg_time_h",
        "harbin_hamburg_cost_usd_per_teu",
        "primorye_time_ratio",
    }


def test_data_audit_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["data", "audit", "--routes-only", "--top", "3"], capsys)
    assert code == 0, err
    assert "critical figures" in out and "figures (" in out
    assert "perturbing" in err  # progress on standard error


@pytest.mark.parametrize(
    ("args", "fragment"),
    [(["--step", "1.5"], "step 1.5"), (["--network", "atlantis"], "unknown dataset 'atlantis'")],
)
def test_data_audit_bad_input_is_one_line(
    args: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["data", "audit", "--routes-only", *args], capsys)
    assert_one_line_error(code, err, fragment)
