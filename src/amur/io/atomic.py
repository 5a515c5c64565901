"""The one atomic writer every output of amur goes through.

A file is written to a temporary file in the target's own folder, flushed to disk (fsync),
given the permissions the user's umask gives new files, and renamed over the target in one
step. A failure at any point (a full disk, a size limit, an exception in the code that
writes, a kill) leaves the previous file as it was and removes the temporary file; the
rename is atomic on POSIX file systems, so a reader sees the old file or the new one, never
half of one. A folder of files (a report) is built beside its target and swapped in the
same way.

Examples
--------
>>> import tempfile, pathlib
>>> from amur.io.atomic import atomic_path, write_text
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_text(folder / "a.txt", "hello")
PosixPath('...a.txt')
>>> with atomic_path(folder / "b.csv") as tmp:
...     _ = tmp.write_text("x\\n1\\n")
>>> sorted(p.name for p in folder.iterdir())
['a.txt', 'b.csv']
"""

from __future__ import annotations

import errno
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from amur.errors import OutputError

__all__ = [
    "TEMP_PREFIX",
    "atomic_folder",
    "atomic_path",
    "check_target",
    "new_file_mode",
    "write_bytes",
    "write_text",
]

#: Prefix of every temporary file or folder amur writes (``.amur-tmp-<name>-<random>``).
TEMP_PREFIX = ".amur-tmp-"


def new_file_mode() -> int:
    """Permissions a new file gets under the user's umask (``0o666 & ~umask``).

    Read from ``/proc/self/status`` where there is one: setting and resetting the umask
    to read it is not safe while other threads create files (the HTTP server).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def check_target(target: str | os.PathLike[str], field: str = "out") -> Path:
    """Check that a file can be written at ``target``; create its folder if missing.

    Raises
    ------
    OutputError
        If the target is a folder, its parent is a file, the name is too long, or the
        folder cannot be created or written; the message names the path.
    """
    path = Path(target)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; expected a file name to write", field=field)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"{path}: {_first_file(path.parent)} is a file, not a folder",
                          field=field) from None
    except OSError as exc:
        raise _output_error(path, exc, field) from None
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: the folder {path.parent} is not writable", field=field)
    return path


def _first_file(folder: Path) -> Path:
    for parent in [folder, *folder.parents]:
        if parent.exists():
            return parent
    return folder


def _output_error(path: Path, exc: OSError, field: str) -> OutputError:
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EFBIG: "the file is over the size limit",
        errno.EDQUOT: "the disk quota is used up",
        errno.ENAMETOOLONG: "the name is too long",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only",
        errno.EISDIR: "is a folder",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
    }
    reason = reasons.get(exc.errno or 0, exc.strerror or str(exc))
    return OutputError(f"{path}: cannot write ({reason}); any previous file is kept",
                       field=field)


@contextmanager
def atomic_path(target: str | os.PathLike[str], field: str = "out") -> Iterator[Path]:
    """A temporary path beside ``target`` to write to; renamed over it on success.

    For writers that want a path (pyogrio, matplotlib, pandas, PyTables). The temporary
    file keeps the target's suffix (some writers choose the format by it).

    Parameters
    ----------
    target : path-like
        The file to write.
    field : str
        The option or key naming the output, for error messages.

    Yields
    ------
    pathlib.Path
        Where to write; it does not exist yet.

    Raises
    ------
    OutputError
        If the target cannot be written (a folder, no permission, a full disk, a size
        limit): the previous file is kept and the temporary file removed.
    """
    path = check_target(target, field)
    tmp = path.parent / f"{TEMP_PREFIX}{path.stem[:40]}-{uuid.uuid4().hex[:12]}{path.suffix}"
    try:
        yield tmp
        if not tmp.is_file():
            raise OutputError(f"{path}: nothing was written", field=field)
        _fsync_file(tmp)
        os.chmod(tmp, new_file_mode())
        os.replace(tmp, path)
        _fsync_folder(path.parent)
    except OSError as exc:
        raise _output_error(path, exc, field) from None
    finally:
        _remove(tmp)
    return


def write_bytes(target: str | os.PathLike[str], data: bytes, field: str = "out") -> Path:
    """Write ``data`` to ``target`` atomically; returns the path written.

    Raises
    ------
    OutputError
        As :func:`atomic_path`.
    """
    with atomic_path(target, field) as tmp:
        with open(tmp, "xb") as f:
            f.write(data)
    return Path(target)


def write_text(target: str | os.PathLike[str], text: str, field: str = "out") -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically; returns the path written.

    Raises
    ------
    OutputError
        As :func:`atomic_path`.
    """
    return write_bytes(target, text.encode("utf-8"), field)


def atomic_folder(target: str | os.PathLike[str], build: Callable[[Path], None],
                  field: str = "out") -> Path:
    """Build a folder of files beside ``target`` with ``build(folder)``, then swap it in.

    An older folder at ``target`` is moved aside first and removed once the new one is in
    place (restored if the rename fails). Any failure removes the temporary folder.

    Raises
    ------
    OutputError
        If the folder cannot be written; the previous folder is kept.
    """
    path = Path(target)
    check_target(path / "x", field)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path}: is a file; expected a folder", field=field)
    tmp = path.parent / f"{TEMP_PREFIX}{path.name[:40]}-{uuid.uuid4().hex[:12]}"
    old = path.parent / f"{TEMP_PREFIX}{path.name[:40]}-old-{uuid.uuid4().hex[:12]}"
    moved = False
    try:
        tmp.mkdir()  # a plain mkdir (not mkdtemp's 0700): the user's usual permissions
        build(tmp)
        for item in tmp.rglob("*"):
            if item.is_file():
                _fsync_file(item)
                os.chmod(item, new_file_mode())
        if path.exists():
            os.replace(path, old)
            moved = True
        os.replace(tmp, path)
        _fsync_folder(path.parent)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if moved and not path.exists():
            os.replace(old, path)
        if isinstance(exc, OSError):
            raise _output_error(path, exc, field) from None
        raise
    if moved:
        shutil.rmtree(old, ignore_errors=True)
    return path


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - a folder that cannot be opened (not on Linux)
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on folders
        pass
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except IsADirectoryError:  # a writer that made a folder of the name
        shutil.rmtree(path, ignore_errors=True)
