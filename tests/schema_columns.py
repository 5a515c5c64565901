"""The column lists of the small networks the tests build in code, taken from the network
schema (:mod:`amur.network.schema`) in its order, as ``tools/build_northeast_asia.py`` takes
the dataset's: the fixtures fill a place's figures and a link's, and leave out the winter
regimes, the sources and the notes.
"""

from __future__ import annotations

from collections.abc import Sequence

from amur.network.schema import LINK_COLUMNS, NODE_COLUMNS, Column


def schema_columns(columns: Sequence[Column], last: str, without: Sequence[str] = ()) -> list[str]:
    """The names of ``columns`` up to and including ``last``, less those in ``without``."""
    names = [c.name for c in columns]
    return [n for n in names[: names.index(last) + 1] if n not in without]


#: A place: id, names, country, position, kind, gauge, and its handling, gauge-change and
#: border figures.
FIXTURE_NODE_COLUMNS = schema_columns(NODE_COLUMNS, "border_fee_usd_per_teu")
#: A link: ends, mode, gauge, length, speed or fixed time, cost per TEU-km, CO2, status,
#: opening year and months.
FIXTURE_LINK_COLUMNS = schema_columns(
    LINK_COLUMNS, "months", without=("cost_usd_per_tkm", "capacity_t_per_year", "closed")
)
