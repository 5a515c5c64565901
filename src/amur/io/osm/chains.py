"""Ways cut into chains between junctions, places and borders: the segments, their keys and
the chains that become links (internal to :mod:).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from amur.io.osm.read import (
    KIND_FERRY,
    KIND_RAIL,
    RawOsm,
)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def _cuts(
    raw: RawOsm, way_of: IntArray, country: IntArray
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Points where a way must be split, and the border points: the last point in one
    country and the first in the next, so the link between them crosses the border.
    """
    n = len(raw.ref)
    cut = np.zeros(n, bool)
    cut[raw.way_ptr[:-1]] = True
    cut[raw.way_ptr[1:] - 1] = True
    _, first, counts = np.unique(raw.ref, return_inverse=True, return_counts=True)
    cut |= counts[first] > 1
    cut |= np.isin(raw.ref, raw.place_ref)
    same_way = way_of[1:] == way_of[:-1]
    change = same_way & (country[1:] != country[:-1])
    border = np.zeros(n, bool)
    border[:-1] |= change
    border[1:] |= change
    cut |= border
    return cut, border


def _segments(
    raw: RawOsm, way_of: IntArray, cut: npt.NDArray[np.bool_]
) -> tuple[IntArray, IntArray]:
    """Pairs of consecutive cut points of one way; a closed way is cut in the middle too."""
    for _ in range(2):
        pos = np.flatnonzero(cut)
        a, b = pos[:-1], pos[1:]
        ok = way_of[a] == way_of[b]
        a, b = a[ok], b[ok]
        loops = raw.ref[a] == raw.ref[b]
        if not loops.any():
            break
        mid = (a[loops] + b[loops]) // 2
        cut[mid[(mid > a[loops]) & (mid < b[loops])]] = True
    ok = raw.ref[a] != raw.ref[b]  # a closed way of two points has no middle
    return a[ok].astype(np.int64), b[ok].astype(np.int64)


def _way_keys(raw: RawOsm, speed: FloatArray) -> IntArray:
    """Ways with equal keys may be merged at a degree-2 point: same mode, gauge, use and
    speed; a ferry is never merged (its duration belongs to the whole route).
    """
    labels = [
        f"{k}|{g}|{d}|{s:.6g}" if k != KIND_FERRY else f"ferry|{i}"
        for i, (k, g, d, s) in enumerate(
            zip(
                raw.way_kind.tolist(),
                raw.way_gauge,
                raw.way_disused.tolist(),
                speed.tolist(),
                strict=True,
            )
        )
    ]
    _, key = np.unique(np.asarray(labels, dtype=object).astype(str), return_inverse=True)
    return key.astype(np.int64)


def _vertex_places(
    raw: RawOsm,
    vert_ref: IntArray,
    seg_u: IntArray,
    seg_v: IntArray,
    seg_way: IntArray,
    border_refs: IntArray,
) -> npt.NDArray[np.bool_]:
    """Vertices that stay places (never contracted): tagged stations, border controls and
    terminals, border points, ferry ends and gauge breaks.
    """
    place = np.isin(vert_ref, raw.place_ref) | np.isin(vert_ref, border_refs)
    ends = np.concatenate([seg_u, seg_v])
    ways = np.concatenate([seg_way, seg_way])
    place[ends[raw.way_kind[ways] == KIND_FERRY]] = True
    rail = raw.way_kind[ways] == KIND_RAIL
    at = pd.DataFrame(
        {"v": ends[rail], "gauge": np.asarray(raw.way_gauge, dtype=object)[ways[rail]]}
    )
    breaks = at.groupby("v")["gauge"].nunique()
    place[breaks.index[breaks.to_numpy() > 1].to_numpy(np.int64)] = True
    return place


def _chains(
    seg_u: IntArray, seg_v: IntArray, seg_key: IntArray, place: npt.NDArray[np.bool_], n_vert: int
) -> list[list[tuple[int, bool]]]:
    """Maximal runs of segments through removable vertices (degree 2, same key, no place).

    Returns
    -------
    list of list of (segment, forward)
        Each chain in order from its first vertex to its last.
    """
    n_seg = len(seg_u)
    ends = np.concatenate([seg_u, seg_v])
    order = np.argsort(ends, kind="stable")
    inc_seg = np.concatenate([np.arange(n_seg), np.arange(n_seg)])[order]
    deg = np.bincount(ends, minlength=n_vert)
    ptr = np.zeros(n_vert + 1, np.int64)
    np.cumsum(deg, out=ptr[1:])
    removable = (deg == 2) & ~place
    first = inc_seg[np.minimum(ptr[:-1], len(inc_seg) - 1)]
    second = inc_seg[np.minimum(ptr[:-1] + 1, len(inc_seg) - 1)]
    removable &= (seg_key[first] == seg_key[second]) & (first != second)
    rem = removable.tolist()
    su, sv = seg_u.tolist(), seg_v.tolist()
    inc = inc_seg.tolist()
    p = ptr.tolist()
    visited = bytearray(n_seg)
    chains: list[list[tuple[int, bool]]] = []

    def walk(v: int, s: int) -> None:
        chain: list[tuple[int, bool]] = []
        while True:
            visited[s] = 1
            fwd = su[s] == v
            chain.append((s, fwd))
            nxt = sv[s] if fwd else su[s]
            if not rem[nxt] or (visited[inc[p[nxt]]] and visited[inc[p[nxt] + 1]]):
                break
            a = inc[p[nxt]]
            s = a if a != s else inc[p[nxt] + 1]
            v = nxt
        chains.append(chain)

    for v in np.flatnonzero(~removable & (deg > 0)).tolist():
        for k in range(p[v], p[v + 1]):
            if not visited[inc[k]]:
                walk(v, inc[k])
    for s in range(n_seg):  # cycles made only of removable vertices
        if not visited[s]:
            rem[su[s]] = False
            rem[sv[s]] = False
            walk(su[s], s)
    return [part for chain in chains for part in _split_loop(chain, su, sv)]


def _split_loop(
    chain: list[tuple[int, bool]], su: list[int], sv: list[int]
) -> list[list[tuple[int, bool]]]:
    """A chain that comes back to its first vertex (a balloon loop, a closed way) as two
    links meeting at its middle vertex, since a link may not start and end at one place.
    """
    s0, f0 = chain[0]
    s1, f1 = chain[-1]
    first = su[s0] if f0 else sv[s0]
    last = sv[s1] if f1 else su[s1]
    if first != last or len(chain) < 2:
        return [chain]
    half = len(chain) // 2
    return [chain[:half], chain[half:]]
