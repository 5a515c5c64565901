"""Demand matrices in OpenMatrix (OMX) files, one matrix per commodity.

Written with the ``openmatrix`` package: root attributes ``OMX_VERSION`` and ``SHAPE``,
``/data/<commodity>`` arrays (each with a ``unit`` attribute) and ``/lookup/zones``.
"""

from __future__ import annotations

import errno
import os
import signal
import time
from pathlib import Path
from typing import Any

import numpy as np

from amur.demand.matrix import UNITS, ODMatrices
from amur.errors import InputError

__all__ = ["read_omx", "write_omx"]

ZONE_LOOKUP = "zones"


def write_omx(demand: ODMatrices, path: str | Path) -> None:
    """Write every commodity as an OMX matrix, with the zone ids as the ``zones`` lookup.

    Parameters
    ----------
    demand : ODMatrices
    path : str or Path
        The file, replaced if it exists (atomically: a failure keeps the previous file).

    Raises
    ------
    OutputError
        If the file cannot be written.
    """
    import openmatrix as omx

    from amur.io.atomic import atomic_path

    def verify(tmp: Path) -> None:
        try:
            back = read_omx(tmp, demand.unit)
        except InputError:
            raise OSError(errno.EIO, "the file written cannot be read back") from None
        if tuple(back.zones) != tuple(demand.zones) or any(
            not np.array_equal(back.matrices[k], np.asarray(v, dtype=np.float64))
            for k, v in demand.matrices.items()
        ):
            raise OSError(errno.EIO, "the file written does not read back the same")

    with atomic_path(path, verify=verify) as tmp, omx.open_file(str(tmp), "w") as f:
        for name, matrix in demand.matrices.items():
            f[name] = np.asarray(matrix, dtype=np.float64)
            f[name].attrs.unit = demand.unit
        if all(z.isdigit() for z in demand.zones):
            f.create_mapping(ZONE_LOOKUP, np.asarray([int(z) for z in demand.zones]))
        else:
            # openmatrix writes integer lookups only; the OMX spec allows strings, so write
            # the array with PyTables directly.
            if "lookup" not in f.root:
                f.create_group(f.root, "lookup")
            encoded = np.asarray([z.encode("utf-8") for z in demand.zones], dtype="S")
            f.create_array(f.root.lookup, ZONE_LOOKUP, obj=encoded)


def read_omx(path: str | Path, unit: str | None = None) -> ODMatrices:
    """Read the matrices of an OMX file.

    Parameters
    ----------
    path : str or Path
        The file.
    unit : {"t_per_year", "teu_per_year"}, optional
        Unit of the values; defaults to the matrices' ``unit`` attribute, else tonnes.

    Returns
    -------
    ODMatrices
        Zones from the ``zones`` lookup (or the first lookup), else numbered ``1..n``.

    Raises
    ------
    InputError
        If the file cannot be read as OMX, or its matrices are not square and of one size.
    """
    path = Path(path)
    crash = _crashes_reading(path, unit)
    if crash is not None:
        raise InputError(
            f"{path}: cannot be read as OMX (a damaged HDF5 file: {crash})", field="demand"
        )
    try:
        return _read(path, unit)
    except InputError:
        raise
    except Exception as exc:  # tables raises many kinds: bad HDF5, missing file, not OMX
        raise InputError(
            f"{path}: cannot be read as OMX ({type(exc).__name__}: {str(exc)[:200]})",
            field="demand",
        ) from None


#: Longest a trial read may take before it counts as a failure, s.
TRIAL_SECONDS = 60.0


def _crashes_reading(path: Path, unit: str | None) -> str | None:
    """Read the file once in a forked child first: the HDF5 library can crash the whole
    process (a segmentation fault) on a damaged file, where a reader must give an error.

    Returns
    -------
    str or None
        How the child died, or None if it did not (errors it raised are raised again by
        the real read, in this process).
    """
    if not hasattr(os, "fork") or not path.is_file():
        return None
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child, measured by its exit status
        import faulthandler

        faulthandler.disable()  # its crash is the answer, not a report to print
        try:
            _read(path, unit)
        except BaseException:
            os._exit(3)
        os._exit(0)
    deadline = time.monotonic() + TRIAL_SECONDS
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return f"reading it did not end within {TRIAL_SECONDS:.0f} s"
        time.sleep(0.005)
    if os.WIFSIGNALED(status):
        return f"reading it crashed the HDF5 library ({signal.Signals(os.WTERMSIG(status)).name})"
    return None


def _read(path: Path, unit: str | None) -> ODMatrices:
    import openmatrix as omx

    f: Any = omx.open_file(str(path), "r")
    with f:
        shape = tuple(int(s) for s in f.shape())
        if len(shape) != 2 or shape[0] != shape[1]:
            raise InputError(f"{path}: SHAPE {shape}; expected a square matrix shape")
        names = [str(n) for n in f.list_matrices()]
        matrices = {name: np.array(f[name], dtype=np.float64) for name in names}
        found_unit = unit
        for name in names:
            attr = getattr(f[name].attrs, "unit", None)
            if found_unit is None and attr is not None:
                found_unit = attr.decode() if isinstance(attr, bytes) else str(attr)
        lookups = [str(m) for m in f.list_mappings()]
        if lookups:
            key = ZONE_LOOKUP if ZONE_LOOKUP in lookups else lookups[0]
            raw = np.array(f.mapentries(key))
            zones = tuple(z.decode("utf-8") if isinstance(z, bytes) else str(z) for z in raw)
        else:
            zones = tuple(str(k + 1) for k in range(shape[0]))
    chosen = found_unit if found_unit in UNITS else "t_per_year"
    return ODMatrices(zones, matrices, chosen)
