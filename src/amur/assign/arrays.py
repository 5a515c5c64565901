"""Array types of the assignment kernels: node and link numbers are int32, as in
:class:`amur.assign.graph.AssignmentGraph`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int32]
BoolArray = NDArray[np.bool_]


class LinkGraph(NamedTuple):
    """An assignment graph's topology as one argument of a compiled kernel.

    Numba resolves a named tuple's fields when it compiles, so a kernel pays nothing per call
    for taking the bundle instead of the five arrays. See
    :class:`amur.assign.graph.AssignmentGraph` for the fields.
    """

    out_start: IntArray
    out_links: IntArray
    out_term: IntArray
    init: IntArray
    term: IntArray
