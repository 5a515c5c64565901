"""A cache on disk of built-in networks and their expanded graphs, so a command starts fast.

Reading a dataset's CSV files, validating them and expanding the graph take longer than the
route query itself. A network read once is kept as a pickle in the user's cache folder
(``$AMUR_CACHE_DIR``, else ``$XDG_CACHE_HOME/amur``, else ``~/.cache/amur``), under a key
that hashes the dataset's files, amur's version and code (the size and modification time of
each of its modules) and the versions of Python, NumPy and pandas: any change to one of them
gives a new key, so an old file is never read for new data or code. The graphs expanded from
a network so kept are kept beside it, one file per year, month and set of modes, pickled
with a reference to the network rather than a copy; so are the scenarios applied to it
(:func:`amur.scenarios.apply`) and their graphs, under the network's key and a digest of
the scenario, and the route bundles of :mod:`amur.paths.quick` (a graph's arrays with the
network's place index and decoded columns, read by ``amur route`` without pandas).

Every file is written atomically (:mod:`amur.io.atomic`), so a reader sees a whole file or
none. A file that cannot be read (truncated, from another program, not the object expected)
is ignored and rebuilt; a cache folder that cannot be written is ignored. ``AMUR_CACHE_DIR``
set to an empty string turns the cache off.

The cache holds pickles: its folder must be writable by the user only (as the home folder's
``.cache`` is), since loading a pickle runs code its writer chose.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import weakref
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # pragma: no cover
    from amur.network import Network

__all__ = [
    "KEEP_KEYS",
    "cache_dir",
    "code_fingerprint",
    "dataset_key",
    "key_of",
    "prune",
    "read",
    "remember",
    "write",
]

logger = logging.getLogger(__name__)

#: Networks whose graphs may be kept on disk, with their cache key (networks read from a
#: built-in dataset; a scenario's network or one built in code is not here).
_KEYS: weakref.WeakKeyDictionary[Network, str] = weakref.WeakKeyDictionary()

_NETWORK_ID = "amur-network"

#: Networks (with their graphs) kept in the cache folder: when a new one is written, the
#: files of the least recently written beyond this many are removed, so editing amur's code
#: or data does not fill the disk.
KEEP_KEYS = 8

T = TypeVar("T")


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when ``AMUR_CACHE_DIR`` is set to an empty string."""
    folder = os.environ.get("AMUR_CACHE_DIR")
    if folder is not None:
        return Path(folder) if folder else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "amur"


def code_fingerprint(root: Path | None = None) -> str:
    """A digest of amur's version, its modules' sizes and modification times (ns), and the
    versions of Python, NumPy and pandas: it changes whenever the code that reads and
    expands a network may have.

    pandas is not imported for it (a route answered from the cache does not need pandas):
    its installed version is read from the name of its ``.dist-info`` folder, and the size
    and modification time of its ``__init__.py`` count too.

    Parameters
    ----------
    root : Path, optional
        The package folder whose modules count (amur's own by default).
    """
    import numpy as np

    # The package's version, read without importing the package (which imports this).
    version = getattr(sys.modules.get("amur"), "__version__", "")
    root = root or Path(__file__).resolve().parents[1]
    parts = [version, sys.version, np.__version__, _installed("pandas")]
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in ("__pycache__", "data"))
        for name in sorted(filenames):
            if name.endswith(".py"):
                st = os.stat(os.path.join(dirpath, name))
                parts.append(
                    f"{os.path.relpath(os.path.join(dirpath, name), root)}:"
                    f"{st.st_size}:{st.st_mtime_ns}"
                )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _installed(package: str) -> str:
    """What identifies an installed package without importing it: the ``.dist-info``
    folders beside it and its ``__init__.py``'s size and modification time (ns).
    """
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return f"{package}:<missing>"
    init = Path(spec.origin)
    site = init.parent.parent
    try:
        infos = sorted(
            n for n in os.listdir(site) if n.startswith(f"{package}-") and n.endswith(".dist-info")
        )
        st = init.stat()
    except OSError:
        return f"{package}:<unreadable>"
    return f"{package}:{','.join(infos)}:{st.st_size}:{st.st_mtime_ns}"


def dataset_key(name: str, files: Iterable[Path]) -> str:
    """Cache key of a dataset: its name, the content of its files (a missing file counts
    as missing) and :func:`code_fingerprint`.
    """
    digest = hashlib.sha256(f"{name}\n{code_fingerprint()}\n".encode())
    for path in files:
        digest.update(f"{path.name}\n".encode())
        try:
            digest.update(path.read_bytes())
        except FileNotFoundError:
            digest.update(b"<missing>")
        digest.update(b"\n")
    return digest.hexdigest()[:32]


def remember(net: Network, key: str) -> None:
    """Mark ``net`` as the network of cache key ``key``: its graphs may be kept on disk."""
    _KEYS[net] = key


def key_of(net: Network) -> str | None:
    """The cache key of a network given to :func:`remember`, else ``None``."""
    return _KEYS.get(net)


class _Pickler(pickle.Pickler):
    def __init__(self, file: Any, network: Network | None) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._network = network

    def persistent_id(self, obj: Any) -> str | None:
        return _NETWORK_ID if self._network is not None and obj is self._network else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: Any, network: Network | None) -> None:
        super().__init__(file)
        self._network = network

    def persistent_load(self, pid: Any) -> Any:
        if pid == _NETWORK_ID and self._network is not None:
            return self._network
        raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")


def read(name: str, expected: type[T], network: Network | None = None) -> T | None:
    """The object kept as ``name`` in the cache folder, or ``None`` if there is none or it
    cannot be read or is not an instance of ``expected``; ``network`` stands for the
    network references in the file (see :func:`write`).
    """
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / name, "rb") as f:
            found = _Unpickler(f, network).load()
    except FileNotFoundError:
        return None
    except Exception as exc:  # a damaged or foreign file: rebuild it
        logger.info("ignoring the unreadable cache file %s: %s", folder / name, exc)
        return None
    return found if isinstance(found, expected) else None


def write(name: str, obj: object, network: Network | None = None) -> None:
    """Keep ``obj`` as ``name`` in the cache folder (atomically), ``network`` stored as a
    reference rather than a copy; a folder that cannot be written is skipped.
    """
    from amur.io.atomic import write_bytes

    folder = cache_dir()
    if folder is None:
        return
    try:
        import io

        buffer = io.BytesIO()
        _Pickler(buffer, network).dump(obj)
        folder.mkdir(parents=True, exist_ok=True)
        write_bytes(folder / name, buffer.getvalue(), field="cache")
    except Exception as exc:  # the cache is an optimisation: never fail a command for it
        logger.info("cannot write the cache file %s: %s", folder / name, exc)


def prune(keep: int | None = None) -> list[str]:
    """Remove the files of all but the ``keep`` (default :data:`KEEP_KEYS`) most recently
    written networks, with their graphs and scenarios, from the cache folder; returns the
    keys removed. A process still using a removed key only rebuilds what it asks for next;
    a file that cannot be removed stays.
    """
    keep = KEEP_KEYS if keep is None else keep
    folder = cache_dir()
    if folder is None or not folder.is_dir():
        return []
    networks = []
    for path in folder.glob("network-*.pickle"):
        try:
            networks.append((path.stat().st_mtime_ns, path))
        except FileNotFoundError:  # removed by another process meanwhile
            continue
    networks.sort(reverse=True)
    removed = []
    for _, path in networks[keep:]:
        key = path.stem.removeprefix("network-")
        try:
            for stale in [path, *folder.glob(f"*-{key}-*.pickle")]:
                stale.unlink(missing_ok=True)
        except OSError as exc:
            logger.info("cannot prune the cache file %s: %s", path, exc)
            continue
        removed.append(key)
    return removed
