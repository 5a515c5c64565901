"""Analyses over scenarios: compare two scenarios route by route, the corridor table through
the timeline, and the claims file checked against the model.

These sit above ``scenarios`` (definitions only), ``paths`` and ``assign``: they route and
assign on applied scenarios.
"""

from amur.analysis.claims import Claim, ClaimResult, check_claims, read_claims
from amur.analysis.compare import compare, network_changes, read_od
from amur.analysis.timeline import timeline_chart, timeline_table

__all__ = [
    "Claim",
    "ClaimResult",
    "check_claims",
    "compare",
    "network_changes",
    "read_claims",
    "read_od",
    "timeline_chart",
    "timeline_table",
]
