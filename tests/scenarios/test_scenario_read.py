"""Reading scenario files: the format, and one test per validation error."""

from __future__ import annotations

from pathlib import Path

import pytest

from amur.errors import ScenarioError
from amur.network import Network
from amur.scenarios import apply, load_scenario, read_scenario
from scenario_helpers import write

FULL = """
name = "what-if"
description = "every kind of edit"
base = "2018"
year = 2020
month = 7
commodity = "container"
modes = ["rail", "road"]
source_ids = ["src_a"]

[links]
remove = ["h-sf"]

[[links.add]]
id = "h-be"
from_node = "h"
to_node = "be"
mode = "road"
length_km = 700.0
speed_kmh = 50.0
source_id = "src_a"

[[links.change]]
id = "be-x"
status = "operating"
speed_kmh = 60
source_id = "src_a"

[[nodes.change]]
id = "hh"
border_time_h = 5
source_id = "src_a"

[[scale]]
mode = "rail"
cost = 0.5
speed = 2
source_id = "src_a"

[[sources]]
id = "src_b"
kind = "estimate"
title = "another"
"""


def test_reads_every_part(tmp_path: Path) -> None:
    s = read_scenario(write(tmp_path, "what-if", FULL))
    assert (s.name, s.base, s.year, s.month, s.commodity) == (
        "what-if",
        "2018",
        2020,
        7,
        "container",
    )
    assert s.modes == ("rail", "road")
    assert [(e.table, e.action, e.id) for e in s.edits] == [
        ("links", "remove", "h-sf"),
        ("links", "add", "h-be"),
        ("links", "change", "be-x"),
        ("nodes", "change", "hh"),
    ]
    change = s.edits[2]
    assert change.columns == {"status": "operating", "speed_kmh": 60.0}
    assert change.source_id == "src_a"
    assert s.scales[0].mode == "rail" and s.scales[0].cost == 0.5 and s.scales[0].speed == 2.0
    assert s.sources[0].id == "src_b"


def _error(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, "bad", text)
    with pytest.raises(ScenarioError) as info:
        read_scenario(path)
    assert str(path) in info.value.message
    return info.value.message


def test_not_toml(tmp_path: Path) -> None:
    assert "not valid TOML" in _error(tmp_path, 'name = "x\n')


def test_missing_name(tmp_path: Path) -> None:
    assert "missing key 'name'" in _error(tmp_path, "year = 2018\n")


def test_unknown_top_key(tmp_path: Path) -> None:
    message = _error(tmp_path, 'name = "x"\nyaer = 2018\n')
    assert "unknown key 'yaer'" in message and "year" in message


def test_wrong_type(tmp_path: Path) -> None:
    message = _error(tmp_path, 'name = "x"\nyear = "2018"\n')
    assert "key 'year'" in message and "expected an integer" in message


def test_month_out_of_range(tmp_path: Path) -> None:
    message = _error(tmp_path, 'name = "x"\nmonth = 13\n')
    assert "key 'month': 13 is out of range; expected 1 to 12" in message


def test_month_zero(tmp_path: Path) -> None:
    assert "expected 1 to 12" in _error(tmp_path, 'name = "x"\nmonth = 0\n')


def test_edit_of_a_field_that_does_not_exist(tmp_path: Path) -> None:
    message = _error(tmp_path, 'name = "x"\n[[links.change]]\nid = "h-hh"\nspeed = 60\n')
    assert "links.change[0] (id 'h-hh')" in message
    assert "unknown column 'speed'" in message and "speed_kmh" in message


def test_wrong_type_in_an_edit(tmp_path: Path) -> None:
    message = _error(tmp_path, 'name = "x"\n[[links.change]]\nid = "h-hh"\nspeed_kmh = "fast"\n')
    assert "key 'speed_kmh': expected a number" in message


def test_change_without_columns(tmp_path: Path) -> None:
    assert "changes no column" in _error(tmp_path, 'name = "x"\n[[nodes.change]]\nid = "hh"\n')


def test_unknown_action(tmp_path: Path) -> None:
    message = _error(tmp_path, 'name = "x"\n[[links.delete]]\nid = "h-hh"\n')
    assert "unknown key 'links.delete'" in message


def test_unknown_mode_in_modes(tmp_path: Path) -> None:
    assert "unknown mode 'air'" in _error(tmp_path, 'name = "x"\nmodes = ["air"]\n')


def test_scale_factor_not_positive(tmp_path: Path) -> None:
    message = _error(tmp_path, 'name = "x"\n[[scale]]\nmode = "rail"\ncost = 0\n')
    assert "scale[0], key 'cost'" in message and "above 0" in message


def test_unknown_link_id(tmp_path: Path, amur_net: Network) -> None:
    path = write(tmp_path, "x", 'name = "x"\n[[links.change]]\nid = "h-hhh"\nstatus = "closed"\n')
    with pytest.raises(ScenarioError) as info:
        apply(amur_net, load_scenario(path, amur_net))
    message = info.value.message
    assert str(path) in message and "links.change[0]" in message
    assert "unknown link 'h-hhh'" in message and "did you mean 'h-hh'" in message


def test_unknown_node_id(tmp_path: Path, amur_net: Network) -> None:
    path = write(tmp_path, "x", 'name = "x"\n[[nodes.change]]\nid = "nowhere"\nborder_time_h = 1\n')
    with pytest.raises(ScenarioError, match="unknown node 'nowhere'"):
        apply(amur_net, load_scenario(path, amur_net))


def test_unknown_removed_link(tmp_path: Path, amur_net: Network) -> None:
    path = write(tmp_path, "x", 'name = "x"\n[links]\nremove = ["zz"]\n')
    with pytest.raises(ScenarioError, match=r"links.remove\[0\].*unknown link 'zz'"):
        apply(amur_net, load_scenario(path, amur_net))


def test_added_id_exists(tmp_path: Path, amur_net: Network) -> None:
    text = (
        'name = "x"\n[[nodes.add]]\nid = "hh"\nname = "again"\ncountry = "CN"\nlat = 1.0\n'
        'lon = 1.0\nkind = "city"\n'
    )
    with pytest.raises(ScenarioError, match="node 'hh' already exists"):
        apply(amur_net, load_scenario(write(tmp_path, "x", text), amur_net))


def test_unknown_source_id(tmp_path: Path, amur_net: Network) -> None:
    text = 'name = "x"\n[[links.change]]\nid = "h-hh"\nspeed_kmh = 70\nsource_id = "nope"\n'
    with pytest.raises(ScenarioError, match="key 'source_id': source 'nope'"):
        apply(amur_net, load_scenario(write(tmp_path, "x", text), amur_net))


def test_edits_that_break_the_network(tmp_path: Path, amur_net: Network) -> None:
    text = 'name = "x"\n[[links.change]]\nid = "h-hh"\nto_node = "h"\n'
    with pytest.raises(ScenarioError, match=r"edits leave an invalid network.*starts and ends"):
        apply(amur_net, load_scenario(write(tmp_path, "x", text), amur_net))


def test_year_outside_the_data(tmp_path: Path, amur_net: Network) -> None:
    path = write(tmp_path, "x", 'name = "x"\nyear = 1850\n')
    with pytest.raises(ScenarioError) as info:
        apply(amur_net, load_scenario(path, amur_net))
    assert "key 'year': 1850 is outside the data; expected 1903 to" in info.value.message


def test_base_that_does_not_exist(tmp_path: Path, amur_net: Network) -> None:
    path = write(tmp_path, "x", 'name = "x"\nbase = "1999"\n')
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, amur_net)
    assert str(path) in info.value.message
    assert "key 'base': base scenario '1999' does not exist" in info.value.message


def test_cycle_of_bases(tmp_path: Path, amur_net: Network) -> None:
    write(tmp_path, "a", 'name = "a"\nbase = "b"\n')
    write(tmp_path, "b", 'name = "b"\nbase = "c"\n')
    path = write(tmp_path, "c", 'name = "c"\nbase = "a"\n')
    with pytest.raises(ScenarioError, match=r"cycle \(c -> a -> b -> c\)"):
        load_scenario(path, amur_net)


def test_duplicated_scenario_name(tmp_path: Path, amur_net: Network) -> None:
    write(tmp_path, "one", 'name = "same"\n')
    second = write(tmp_path, "two", 'name = "same"\n')
    path = write(tmp_path, "user", 'name = "user"\nbase = "same"\n')
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, amur_net)
    assert str(second) in info.value.message and "already used" in info.value.message


def test_unknown_scenario_name(amur_net: Network) -> None:
    with pytest.raises(ScenarioError, match="unknown scenario 'nope'"):
        load_scenario("nope", amur_net)


def test_commodity_on_a_mode_it_cannot_use(tmp_path: Path, amur_net: Network) -> None:
    path = write(tmp_path, "x", 'name = "x"\ncommodity = "lng"\nmodes = ["sea", "rail"]\n')
    with pytest.raises(ScenarioError, match="commodity 'lng' cannot go by rail"):
        apply(amur_net, load_scenario(path, amur_net))


def test_unknown_commodity(tmp_path: Path, amur_net: Network) -> None:
    path = write(tmp_path, "x", 'name = "x"\ncommodity = "coal"\n')
    with pytest.raises(ScenarioError, match="unknown commodity 'coal'"):
        apply(amur_net, load_scenario(path, amur_net))


def test_a_broken_draft_beside_a_scenario_does_not_break_it(tmp_path: Path) -> None:
    from amur.scenarios import load_scenario

    (tmp_path / "parent.toml").write_text('name = "parent"\nbase = "today"\n')
    (tmp_path / "child.toml").write_text('name = "child"\nbase = "parent"\n')
    (tmp_path / "draft.toml").write_bytes(b'name = "draft\n\xff\xfe not toml')
    scenario = load_scenario(tmp_path / "child.toml")
    assert scenario.parent is not None and scenario.parent.name == "parent"
    assert scenario.parent.parent is not None and scenario.parent.parent.name == "today"
    # the draft itself is still an error, naming its file
    with pytest.raises(ScenarioError, match=r"draft\.toml"):
        load_scenario(tmp_path / "draft.toml")
