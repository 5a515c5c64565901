"""The kinds of arc of the expanded graph."""

from __future__ import annotations

from enum import IntEnum


class ArcKind(IntEnum):
    """What an arc of the expanded graph stands for."""

    LINK = 0
    GAUGE_CHANGE = 1
    HANDLING = 2
    BORDER = 3
    BOARD = 4
    RIDE = 5
    ALIGHT = 6
