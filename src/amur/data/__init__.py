"""Built-in datasets, loaded by name: ``amur.load("northeast-asia")``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from amur.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from amur.network import Network
    from amur.network.corridors import Corridor

_HERE = Path(__file__).parent
DATASETS: dict[str, Path] = {"northeast-asia": _HERE / "northeast_asia"}


def dataset_path(name: str) -> Path:
    """Folder of a dataset: a built-in one by name, or a network folder by its path.

    A copy of a built-in dataset's folder works the same as the dataset's name: its
    corridors, demand, claims and scenarios are read from the copy.

    Raises
    ------
    InputError
        If no built-in dataset has this name and it is not a folder with ``nodes.csv``.
    """
    if name in DATASETS:
        return DATASETS[name]
    folder = Path(name)
    if folder.is_dir() and (folder / "nodes.csv").is_file():
        return folder
    raise InputError(
        f"unknown dataset {name!r}; expected one of {', '.join(DATASETS)} "
        "or a folder with nodes.csv and links.csv",
        field="network",
    )


def dataset_folder(ref: str | Network) -> Path | None:
    """The folder a dataset or network comes from, or ``None`` if it has none.

    Parameters
    ----------
    ref : str or Network
        A built-in dataset's name, a network folder's path, or a network (its name, or
        the folder it was read from; a scenario's network keeps its base's folder).
    """
    if not isinstance(ref, str):
        base = ref.name.split("+", 1)[0]
        if base in DATASETS:
            return DATASETS[base]
        ref = ref.origin or ""
    if ref in DATASETS:
        return DATASETS[ref]
    folder = Path(ref)
    return folder if ref and folder.is_dir() and (folder / "nodes.csv").is_file() else None


@lru_cache(maxsize=8)
def _load_cached(name: str) -> Network:
    """A built-in network: from the cache on disk (:mod:`amur.graph.store`) when it holds
    this dataset's files as they are, else read, validated and kept there.

    The key hashes every file of the dataset's folder, not only those
    :func:`amur.io.read_network` reads today: a little more often rebuilt, never stale.
    """
    from amur.graph import store
    from amur.network import Network

    key = builtin_key(name)
    file = f"network-{key}.pickle"
    net = store.read(file, Network)
    if net is None:
        from amur.io.csv import read_network

        net = read_network(dataset_path(name), name=name)
        store.write(file, net)
        store.prune()
    store.remember(net, key)
    return net


def builtin_key(name: str) -> str:
    """The key of a built-in dataset in the cache on disk (:mod:`amur.graph.store`): its
    name and folder, every file of the folder, and amur's code.

    Raises
    ------
    InputError
        If no built-in dataset has this name.
    """
    from amur.graph import store

    folder = dataset_path(name)
    files = sorted(p for p in folder.iterdir() if p.is_file())
    return store.dataset_key(f"{name} {folder.resolve()}", files)


def corridors(name: str = "northeast-asia") -> list[Corridor]:
    """The named corridors of a built-in dataset (its ``corridors.csv``), in file order.

    Raises
    ------
    InputError
        If the dataset is unknown or has no corridor table.
    """
    from amur.io.csv import read_table
    from amur.network.corridors import read_corridors

    path = dataset_path(name) / "corridors.csv"
    return read_corridors(read_table(path), origin=str(path))


def load(name: str = "northeast-asia") -> Network:
    """Load a built-in network by name, or a network folder by path.

    Parameters
    ----------
    name : str
        ``"northeast-asia"`` (the default), or the path of a folder with ``nodes.csv`` and
        ``links.csv``.

    Returns
    -------
    Network
        The network; built-in ones are read once per process and shared (a Network is
        never mutated by amur).

    Raises
    ------
    InputError
        If the name is neither a built-in dataset nor a network folder.

    Examples
    --------
    >>> import amur
    >>> net = amur.load("northeast-asia")
    >>> net.place("哈尔滨")
    'harbin'
    """
    if name in DATASETS:
        return _load_cached(name)
    if Path(name).is_dir():
        from amur.io.csv import read_network

        return read_network(name)
    return _load_cached(name)  # raises the InputError naming the known datasets
