"""A project applied to a network: the network with the project's links in service, and
without them (the two cases an appraisal compares).
"""

from __future__ import annotations

import difflib

import pandas as pd

from amur.errors import InputError
from amur.impact.project import Project
from amur.network import Network


def check_links(project: Project, network: Network) -> None:
    """Raise InputError if the project names a link that is not in the network."""
    known = set(network.links["id"])
    for link in project.link_ids:
        if link not in known:
            close = difflib.get_close_matches(link, sorted(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise InputError(
                f"project {project.id!r}: link {link!r} is not in network {network.name!r}{hint}",
                field="link_ids",
            )


def network_with(network: Network, project: Project) -> Network:
    """The network with the project's links in service (a planned link is built).

    The links keep their figures; only their status and years change. The input network is
    not modified.
    """
    links = network.links.copy()
    rows = links["id"].isin(project.link_ids).to_numpy()
    links.loc[rows, "status"] = "operating"
    links.loc[rows, "opened"] = pd.NA
    links.loc[rows, "closed"] = pd.NA
    return Network(
        network.nodes,
        links,
        network.sources,
        name=f"{network.name} with project",
        parameters=dict(network.parameters),
        regimes=network.regimes,
        unions=network.unions,
        origin=network.origin,
        services=network.services,
    )


def network_without(network: Network, project: Project) -> Network:
    """The network without the project's links (the counterfactual)."""
    keep = ~network.links["id"].isin(project.link_ids).to_numpy()
    return Network(
        network.nodes,
        network.links[keep].reset_index(drop=True),
        network.sources,
        name=f"{network.name} without project",
        parameters=dict(network.parameters),
        regimes=network.regimes,
        unions=network.unions,
        origin=network.origin,
        services=network.services,
    )
