"""Defaults of a user network's tables: link ids made from their ends and mode, the status
``operating``, and the ``user`` source for figures that name none.
"""

from __future__ import annotations

import pandas as pd

from amur.network.schema import Status

#: Source id of figures a user's tables give without a source.
USER_SOURCE_ID = "user"


def _fill_defaults(
    nodes: pd.DataFrame, links: pd.DataFrame, sources: pd.DataFrame, services: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Give user tables what the built-in data carries explicitly: ids, status, sources."""
    links = links.copy()
    nodes = nodes.copy()
    services = services.copy()
    no_id = links["id"].isna()
    if no_id.any():
        made = links["from_node"] + "-" + links["to_node"] + "-" + links["mode"]
        made = made.where(~made.duplicated(keep=False), made + "-" + links.index.astype(str))
        links.loc[no_id, "id"] = made[no_id]
    links["status"] = links["status"].fillna(Status.OPERATING.value)
    used_user_source = False
    for frame in (nodes, links, services):
        empty = frame["source_id"].isna()
        if empty.any():
            frame.loc[empty, "source_id"] = USER_SOURCE_ID
            used_user_source = True
    used_user_source |= any(
        bool((f["source_id"] == USER_SOURCE_ID).any()) for f in (nodes, links, services)
    )
    if used_user_source and USER_SOURCE_ID not in set(sources["id"]):
        row = pd.DataFrame(
            [{"id": USER_SOURCE_ID, "kind": "user", "title": "supplied by the user"}]
        )
        sources = pd.concat([sources, row], ignore_index=True)
    return nodes, links, sources, services
