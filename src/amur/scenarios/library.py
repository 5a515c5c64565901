"""Finding scenarios by name (a dataset's ``scenarios/`` folder) or path, with bases resolved."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from amur.errors import ScenarioError
from amur.network import Network
from amur.scenarios.model import Scenario, Source
from amur.scenarios.read import read_scenario

#: The built-in timeline of northeast-asia, in order.
TIMELINE = ("2014", "2015", "2018", "2020", "2021", "2022", "2023", "2024", "2025", "today")


def scenarios_folder(dataset: str | Network = "northeast-asia") -> Path | None:
    """The ``scenarios/`` folder of a built-in dataset, or ``None`` for other networks."""
    from amur.data import dataset_folder

    if isinstance(dataset, Network):
        folder = dataset_folder(dataset)
    else:
        folder = dataset_folder(dataset.split("+", 1)[0])
        if folder is None and Path(dataset).is_dir():
            folder = Path(dataset)
    if folder is None or not (folder / "scenarios").is_dir():
        return None
    return folder / "scenarios"


def _folder_sources(folder: Path) -> tuple[Source, ...]:
    """Sources in ``scenario_sources.csv`` beside the scenarios folder (not yet merged)."""
    path = folder.parent / "scenario_sources.csv"
    if not path.is_file():
        return ()
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return tuple(
        Source(**{k: (rec.get(k) or None) for k in ("id", "kind", "title", "url", "date", "note")})  # type: ignore[arg-type]
        for rec in table.to_dict("records")
    )


def catalogue(folder: Path, skip_broken: bool = False) -> dict[str, Path]:
    """Scenario name to file, for every ``*.toml`` in a folder.

    Parameters
    ----------
    folder : Path
    skip_broken : bool
        Leave out files that cannot be read (looking one scenario up must not fail on a
        broken draft beside it) instead of raising.

    Raises
    ------
    ScenarioError
        If two files declare the same name, or (unless ``skip_broken``) a file is bad.
    """
    found: dict[str, Path] = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            scenario = read_scenario(path)
        except ScenarioError:
            if skip_broken:
                continue
            raise
        if scenario.name in found:
            raise ScenarioError(
                f"scenario file {path}: name {scenario.name!r} is already used "
                f"by {found[scenario.name]}; expected one file per name",
                field="name",
            )
        found[scenario.name] = path
    return found


def list_scenarios(dataset: str | Network = "northeast-asia") -> list[Scenario]:
    """Every scenario of a dataset, bases resolved, in name order (timeline years first).

    Raises
    ------
    ScenarioError
        On any bad file in the folder.
    """
    folder = scenarios_folder(dataset)
    if folder is None:
        return []
    names = catalogue(folder)
    order = sorted(
        names, key=lambda n: (n not in TIMELINE, TIMELINE.index(n) if n in TIMELINE else 0, n)
    )
    return [load_scenario(name, dataset) for name in order]


def load_scenario(
    name_or_path: str | Path,
    dataset: str | Network = "northeast-asia",
) -> Scenario:
    """A scenario by name (from the dataset's scenarios folder) or by file path, with its
    chain of bases resolved.

    Parameters
    ----------
    name_or_path : str or Path
        ``"2018"``, ``"korea-rail"``, or ``"my/scenario.toml"``. A file's base is looked up
        beside it first, then in the dataset's folder.
    dataset : str or Network
        Dataset whose folder holds the named scenarios.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        If no scenario has the name, a base does not exist, the bases form a cycle, or a file
        is bad.

    Examples
    --------
    >>> load_scenario("2022").effective_year
    2022
    """
    folder = scenarios_folder(dataset)
    folders = [folder] if folder is not None else []
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.is_file():
        if not path.is_file():
            raise ScenarioError(f"scenario file {path}: not found", field="scenario")
        folders.insert(0, path.parent)
        first = read_scenario(path)
    else:
        first = _by_name(str(name_or_path), folders, None)
    return _resolve(first, folders, ())


def resolve_bases(scenario: Scenario, dataset: str | Network = "northeast-asia") -> Scenario:
    """A scenario read or built by hand, with its bases looked up in the dataset's folder
    (and beside its own file, if it has one).

    Raises
    ------
    ScenarioError
        If a base does not exist, or the bases form a cycle.
    """
    folders = [f for f in (scenarios_folder(dataset),) if f is not None]
    if scenario.path and Path(scenario.path).is_file():
        folders.insert(0, Path(scenario.path).parent)
    return _resolve(scenario, folders, ())


def _by_name(name: str, folders: list[Path], wanted_by: Scenario | None) -> Scenario:
    """The scenario of that name: its own file ``<name>.toml`` when it declares the name,
    else whichever readable file in the folder does. Other files are not read, so one
    broken draft in a folder does not break every scenario beside it.
    """
    for folder in folders:
        path = _file_named(folder, name)
        if path is None:
            path = catalogue(folder, skip_broken=True).get(name)
        if path is not None:
            scenario = read_scenario(path)
            extra = _folder_sources(folder)
            if extra:
                scenario = dataclasses.replace(scenario, sources=scenario.sources + extra)
            return scenario
    known = sorted({n for f in folders for n in catalogue(f, skip_broken=True)})
    if wanted_by is not None:
        where = f"{wanted_by.label}, key 'base'"
        what = f"base scenario {name!r} does not exist"
    else:
        where, what = "scenario", f"unknown scenario {name!r}"
    raise ScenarioError(
        f"{where}: {what}; expected one of {', '.join(known) or '(none)'} or a .toml file",
        field="base" if wanted_by else "scenario",
    )


def _file_named(folder: Path, name: str) -> Path | None:
    """``folder/<name>.toml`` if it exists and declares that name (read, errors and all)."""
    if Path(name).name != name or name in (".", ".."):
        return None
    path = folder / f"{name}.toml"
    if not path.is_file():
        return None
    return path if read_scenario(path).name == name else None


def _resolve(scenario: Scenario, folders: list[Path], seen: tuple[str, ...]) -> Scenario:
    if scenario.name in seen:
        cycle = " -> ".join([*seen, scenario.name])
        raise ScenarioError(
            f"{scenario.label}, key 'base': the bases form a cycle ({cycle}); "
            "expected a chain that ends in a scenario without base",
            field="base",
        )
    if scenario.base is None:
        return scenario
    parent = _by_name(scenario.base, folders, scenario)
    parent = _resolve(parent, folders, (*seen, scenario.name))
    return dataclasses.replace(scenario, parent=parent)
