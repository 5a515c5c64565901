"""Expansion of a Network into CSR arrays: a layer per mode and gauge, transfer and border arcs."""

from amur.graph.arrays import GraphArrays
from amur.graph.expand import ArcKind, ExpandedGraph, expand, haversine_km

__all__ = ["ArcKind", "ExpandedGraph", "GraphArrays", "expand", "haversine_km"]
