"""Built-in datasets, loaded by name: ``amur.load("northeast-asia")``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from amur.errors import InputError
from amur.network import Network
from amur.network.corridors import Corridor, read_corridors

_HERE = Path(__file__).parent
DATASETS: dict[str, Path] = {"northeast-asia": _HERE / "northeast_asia"}


def dataset_path(name: str) -> Path:
    """Folder of a built-in dataset.

    Raises
    ------
    InputError
        If no built-in dataset has this name.
    """
    try:
        return DATASETS[name]
    except KeyError:
        raise InputError(
            f"unknown dataset {name!r}; expected one of {', '.join(DATASETS)} "
            "or a folder with nodes.csv and links.csv",
            field="network",
        ) from None


@lru_cache(maxsize=8)
def _load_cached(name: str) -> Network:
    from amur.io.csv import read_network

    return read_network(dataset_path(name), name=name)


def corridors(name: str = "northeast-asia") -> list[Corridor]:
    """The named corridors of a built-in dataset (its ``corridors.csv``), in file order.

    Raises
    ------
    InputError
        If the dataset is unknown or has no corridor table.
    """
    from amur.io.csv import read_table

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
