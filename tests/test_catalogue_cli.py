"""The catalogue of bad inputs on the command line: each is exit code 2 with one line that
names the option, file, row or key at fault, and writes nothing (the working folder, where
every output would go, is unchanged)."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue import make_bad_files, snapshot
from cli_support import assert_one_line_error, run

R = ["route", "harbin", "hamburg"]
COUNTS = str(Path(__file__).resolve().parents[1] / "src/amur/data/northeast_asia/counts.csv")

#: (arguments, fragments the one line must hold). ``{bad}`` is the folder of bad files.
CASES: list[tuple[list[str], list[str]]] = [
    # numbers out of their domain: the same check and message as the HTTP and Python APIs
    ([*R, "--cargo-value", "nan"], ["--cargo-value: nan", "finite number"]),
    ([*R, "--cargo-value", "-5"], ["--cargo-value: -5", "cargo value"]),
    ([*R, "--cargo-value", "inf"], ["--cargo-value: inf"]),
    ([*R, "--cargo-value", "1e308"], ["--cargo-value: 1e+308"]),
    ([*R, "--time-value", "-1"], ["--time-value: -1", "% of cargo value"]),
    ([*R, "--time-value", "nan"], ["--time-value: nan"]),
    ([*R, "--year", "3000"], ["--year: 3000", "[1800, 2200]"]),
    ([*R, "--year", "-1"], ["--year: -1"]),
    ([*R, "--month", "13"], ["--month: 13", "[1, 12]"]),
    ([*R, "--month", "0"], ["--month: 0"]),
    ([*R, "-k", "0"], ["--alternatives: 0", "[1, 10]"]),
    ([*R, "-k", "1000"], ["--alternatives: 1000"]),
    # options that make no sense together
    ([*R, "--pareto", "--via", "manzhouli"], ["--via cannot go with --pareto"]),
    ([*R, "--pareto", "-k", "2"], ["--alternatives cannot go with --pareto"]),
    ([*R, "--pareto", "--by", "time"], ["--by cannot go with --pareto"]),
    (["assign", "--logit", "1", "--system-optimum"], ["--logit and --system-optimum"]),
    # names that are not known
    ([*R, "--by", "speed"], ["--by: unknown criterion 'speed'"]),
    (["route", "harbin", "hamburgg"], ["'hamburgg'", "hamburg"]),
    ([*R, "--scenario", "atlantis"], ["atlantis"]),
    ([*R, "--commodity", "coal"], ["coal"]),
    ([*R, "-n", "{bad}/no-such-folder"], ["no-such-folder"]),
    (["assign", "--algorithm", "foo"], ["--algorithm: unknown algorithm 'foo'"]),
    (["appraise", "moon-bridge"], ["moon-bridge"]),
    (["appraise", "amur-road-bridge", "--traffic", "foo"], ["traffic", "'foo'"]),
    (["places", "--kind", "castle"], ["castle"]),
    (["data", "sources", "--route", "harbin", "nowhere"], ["'nowhere'"]),
    # assignment and appraisal numbers
    (["assign", "--gap", "nan"], ["--gap: nan", "relative gap"]),
    (["assign", "--gap", "-1"], ["--gap: -1"]),
    (["assign", "--max-iterations", "0"], ["--max-iterations: 0"]),
    (["assign", "--logit", "0"], ["--logit: 0", "logit dispersion"]),
    (["assign", "--logit", "1e308"], ["--logit: 1e+308"]),
    (["assign", "--vc", "nan"], ["--vc: nan"]),
    (["appraise", "amur-road-bridge", "--draws", "1000000000"], ["--draws: 1000000000"]),
    (["appraise", "amur-road-bridge", "--draws", "-1"], ["--draws: -1"]),
    (["appraise", "amur-road-bridge", "--discount", "-50"], ["--discount: -50", "discount rate"]),
    (["appraise", "amur-road-bridge", "--discount", "nan"], ["--discount: nan"]),
    (["appraise", "amur-road-bridge", "--seed", "-1"], ["--seed: -1"]),
    (["impact", "2014", "today", "--theta", "1e308"], ["--theta: 1e+308", "trade elasticity"]),
    (["impact", "2014", "today", "--theta", "0"], ["--theta: 0"]),
    (
        ["compare", "2014", "today", "--from", "harbin", "--to", "hamburg", "--month", "13"],
        ["--month: 13"],
    ),
    (["corridors", "--year", "3000"], ["--year: 3000"]),
    # files that do not keep their promises
    ([*R, "--scenario", "{bad}/binary.toml"], ["binary.toml", "UTF-8"]),
    ([*R, "--scenario", "{bad}/itself.toml"], ["itself"]),
    ([*R, "--scenario", "{bad}/nolink.toml"], ["no-such-link"]),
    (["assign", "--demand", "{bad}/latin1.csv"], ["latin1.csv", "UTF-8"]),
    (["assign", "--demand", "{bad}/binary.parquet"], ["binary.parquet"]),
    (["assign", "--tntp", "{bad}/tntp-cut"], ["cut_trips.tntp", "<TOTAL OD FLOW>"]),
    (["estimate-demand", "--counts", "{bad}/latin1.csv"], ["latin1.csv"]),
    (["estimate-demand", "--counts", "{bad}/no-such.csv"], ["no-such.csv"]),
    ([*R, "-n", "{bad}/net-alias"], ["nodes.csv", "'harbin'", "alias"]),
    ([*R, "-n", "{bad}/net-geometry"], ["links.csv", "row 4", "geometry_wkt"]),
    ([*R, "-n", "{bad}/net-latin1"], ["nodes.csv", "UTF-8"]),
    (
        ["serve", "--store", "{bad}/damaged.sqlite", "--port", "1"],
        ["damaged.sqlite", "damaged", "move it aside"],
    ),
    # outputs that cannot be written: refused before any work
    (["corridors", "--out", "{bad}/a-file"], ["--out", "a-file", "is a file"]),
    (["compare", "--timeline", "--out", "{bad}/a-file"], ["--out", "is a file"]),
    (["assign", "--out", "{bad}/a-file"], ["--out", "is a file"]),
    (["impact", "2014", "today", "--geojson", "{bad}/a-folder"], ["--geojson", "is a folder"]),
    (
        ["impact", "2014", "today", "--chart", "{bad}/a-file/c.png"],
        ["--chart", "is a file, not a folder"],
    ),
    (["impact", "2014", "today", "--chart", "{bad}/" + "x" * 300 + ".png"], ["too long"]),
    (["appraise", "amur-road-bridge", "--report", "{bad}/a-file"], ["--report", "is a file"]),
    (["estimate-demand", "--counts", COUNTS, "--out", "{bad}/a-folder"], ["--out", "is a folder"]),
]


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_bad_files(tmp_path_factory.mktemp("bad"))


@pytest.mark.parametrize(("args", "fragments"), CASES, ids=[" ".join(a)[:60] for a, _ in CASES])
def test_bad_input_is_exit_2_one_line_and_writes_nothing(
    args: list[str],
    fragments: list[str],
    bad: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # where `out/` and every default output would go
    monkeypatch.setenv("AMUR_STORE", str(tmp_path / "store.sqlite"))
    before = snapshot(bad)
    code, out, err = run([a.replace("{bad}", str(bad)) for a in args], capsys)
    assert_one_line_error(code, err, *[f.replace("{bad}", str(bad)) for f in fragments])
    assert "internal error" not in err
    assert out == ""
    assert list(tmp_path.iterdir()) == []
    assert snapshot(bad) == before
