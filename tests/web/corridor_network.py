"""A small Harbin-Hamburg network built in code for the web tests.

Fourteen places with their real coordinates; three ways west from Harbin (rail via
Manzhouli, road across the Amur at Heihe onto the Trans-Siberian at Belogorsk, sea from
Dalian) and Primorye-1 to Vladivostok. The Amur crossing runs on the ice in winter
(December-March) and by ferry in summer (May-October); in April neither runs, so the
fastest route to Hamburg changes with the month.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

NODE_COLUMNS = ["id", "name", "aliases", "country", "lat", "lon", "kind", "gauge",
                "handling_time_h", "handling_cost_usd_per_teu", "gauge_change_time_h",
                "gauge_change_cost_usd_per_teu", "border_time_h", "border_fee_usd_per_teu"]
# handling time and cost, gauge-change time and cost, border time and fee
_GAUGE_CHANGE = (None, None, 24.0, 150.0, 6.0, 100.0)
_BORDER = (None, None, None, None, 6.0, 100.0)
_PORT = (24.0, 200.0, None, None, None, None)
_TERMINAL = (6.0, 90.0, None, None, None, None)
_NONE = (None, None, None, None, None, None)

NODES = [
    ("harbin", "Harbin", "哈尔滨|Харбин", "CN", 45.757, 126.642, "city", "1435", *_TERMINAL),
    ("manzhouli", "Manzhouli", "满洲里|Маньчжурия", "CN", 49.598, 117.379, "border_crossing",
     "dual", *_GAUGE_CHANGE),
    ("zabaykalsk", "Zabaykalsk", "Забайкальск", "RU", 49.650, 117.325, "border_crossing",
     "dual", *_GAUGE_CHANGE),
    ("moscow", "Moscow", "Москва", "RU", 55.756, 37.617, "city", "1520", *_NONE),
    ("brest", "Brest", "Брест", "BY", 52.098, 23.734, "border_crossing", "dual",
     *_GAUGE_CHANGE),
    ("malaszewicze", "Małaszewicze", "Malaszewicze", "PL", 52.030, 23.520, "rail_terminal",
     "dual", *_GAUGE_CHANGE),
    ("hamburg", "Hamburg", "Гамбург", "DE", 53.546, 9.966, "seaport", "1435", *_PORT),
    ("heihe", "Heihe", "黑河|Хэйхэ", "CN", 50.245, 127.490, "border_crossing", "none",
     *_BORDER),
    ("blagoveshchensk", "Blagoveshchensk", "Благовещенск", "RU", 50.290, 127.527,
     "border_crossing", "none", *_BORDER),
    ("belogorsk", "Belogorsk", "Белогорск", "RU", 50.921, 128.474, "rail_terminal", "1520",
     *_TERMINAL),
    ("dalian", "Dalian", "大连|Далянь", "CN", 38.914, 121.615, "seaport", "1435", *_PORT),
    ("suifenhe", "Suifenhe", "绥芬河|Суйфэньхэ", "CN", 44.396, 131.164, "border_crossing",
     "dual", *_GAUGE_CHANGE),
    ("grodekovo", "Pogranichny", "Пограничный|Гродеково", "RU", 44.407, 131.384,
     "border_crossing", "dual", *_GAUGE_CHANGE),
    ("vladivostok", "Vladivostok", "Владивосток", "RU", 43.115, 131.885, "seaport", "1520",
     *_PORT),
]

LINK_COLUMNS = ["id", "from_node", "to_node", "mode", "gauge", "length_km", "speed_kmh",
                "time_h", "cost_usd_per_teu_km", "co2_kg_per_tkm", "status", "opened",
                "months"]
LINKS = [
    ("harbin-manzhouli", "harbin", "manzhouli", "rail", "1435", 935.0, 40.0, None, 0.23,
     0.0113, "operating", 1903, "all"),
    ("manzhouli-zabaykalsk", "manzhouli", "zabaykalsk", "rail", "dual", 10.0, 20.0, None,
     0.47, 0.0113, "operating", 1903, "all"),
    ("zabaykalsk-moscow", "zabaykalsk", "moscow", "rail", "1520", 6200.0, 40.0, None, 0.2,
     0.0113, "operating", 1903, "all"),
    ("moscow-brest", "moscow", "brest", "rail", "1520", 1100.0, 40.0, None, 0.2, 0.0113,
     "operating", 1871, "all"),
    ("brest-malaszewicze", "brest", "malaszewicze", "rail", "dual", 10.0, 20.0, None, 0.47,
     0.0113, "operating", 1871, "all"),
    ("malaszewicze-hamburg", "malaszewicze", "hamburg", "rail", "1435", 1000.0, 40.0, None,
     0.3, 0.0113, "operating", 1871, "all"),
    ("harbin-heihe", "harbin", "heihe", "road", None, 580.0, 60.0, None, 0.6, 0.09,
     "operating", 2000, "all"),
    ("amur-ice-road", "heihe", "blagoveshchensk", "ice_road", None, 4.0, 10.0, None, 5.0,
     0.09, "operating", 1990, "12-3"),
    ("amur-ferry", "heihe", "blagoveshchensk", "river_ferry", None, 4.0, None, 2.0, 10.0,
     0.09, "operating", 1990, "5-10"),
    ("amur-road-bridge", "heihe", "blagoveshchensk", "road", None, 1.1, 40.0, None, 2.0,
     0.09, "planned", 2022, "all"),
    ("blagoveshchensk-belogorsk", "blagoveshchensk", "belogorsk", "road", None, 110.0, 60.0,
     None, 0.9, 0.09, "operating", 1990, "all"),
    ("belogorsk-moscow", "belogorsk", "moscow", "rail", "1520", 7000.0, 50.0, None, 0.2,
     0.0113, "operating", 1916, "all"),
    ("harbin-dalian", "harbin", "dalian", "rail", "1435", 950.0, 40.0, None, 0.23, 0.0113,
     "operating", 1903, "all"),
    ("dalian-hamburg", "dalian", "hamburg", "sea", None, 20000.0, 28.0, None, 0.04, 0.016,
     "operating", None, "all"),
    ("harbin-suifenhe", "harbin", "suifenhe", "rail", "1435", 550.0, 40.0, None, 0.23,
     0.0113, "operating", 1903, "all"),
    ("suifenhe-grodekovo", "suifenhe", "grodekovo", "rail", "dual", 26.0, 20.0, None, 0.47,
     0.0113, "operating", 1903, "all"),
    ("grodekovo-vladivostok", "grodekovo", "vladivostok", "rail", "1520", 210.0, 40.0, None,
     0.2, 0.0113, "operating", 1897, "all"),
]


def write_corridor_network(folder: Path) -> Path:
    """Write the network as nodes.csv and links.csv into ``folder``; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    assert all(len(row) == len(NODE_COLUMNS) for row in NODES)
    pd.DataFrame(NODES, columns=NODE_COLUMNS).to_csv(folder / "nodes.csv", index=False)
    pd.DataFrame(LINKS, columns=LINK_COLUMNS).to_csv(folder / "links.csv", index=False)
    return folder
