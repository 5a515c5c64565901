r"""The one atomic writer every output of amur goes through.

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
...     _ = tmp.write_text("x\n1\n")
>>> sorted(p.name for p in folder.iterdir())
['a.txt', 'b.csv']
"""

from __future__ import annotations

import contextlib
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
    "check_writable",
    "new_file_mode",
    "sweep",
    "write_bytes",
    "write_text",
]

#: Prefix of every temporary file or folder amur writes
#: (``.amur-tmp-<pid>-<name>-<random>``).
TEMP_PREFIX = ".amur-tmp-"


def new_file_mode() -> int:
    """Permissions a new file gets under the user's umask (``0o666 & ~umask``).

    Read from ``/proc/self/status`` where there is one: setting and resetting the umask
    to read it is not safe while other threads create files (the HTTP server).
    """
    # no /proc (not Linux) or an unreadable line: read the umask by setting it
    with (
        contextlib.suppress(OSError, ValueError),
        open("/proc/self/status", encoding="ascii") as status,
    ):
        for line in status:
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
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
    try:
        is_dir = path.is_dir()
    except OSError as exc:  # a name too long, a loop of links
        raise _output_error(path, exc, field) from None
    if is_dir:
        raise OutputError(f"{path}: is a folder; expected a file name to write", field=field)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(
            f"{path}: {_first_file(path.parent)} is a file, not a folder", field=field
        ) from None
    except OSError as exc:
        raise _output_error(path, exc, field) from None
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: the folder {path.parent} is not writable", field=field)
    return path


def check_writable(
    target: str | os.PathLike[str], field: str = "out", folder: bool = False
) -> Path:
    """Check, writing nothing, that a file (or with ``folder``, a folder of files) could be
    written at ``target``: before any work, so a bad output path fails at once.

    Raises
    ------
    OutputError
        If the target is a folder (a file, for ``folder``), a part of its path is a file,
        a name is too long, or the nearest existing folder is not writable.
    """
    path = Path(target)
    for part in path.parts:
        if len(os.fsencode(part)) > 255:
            raise _output_error(path, OSError(errno.ENAMETOOLONG, "name too long"), field)
    try:
        if not folder and path.is_dir():
            raise OutputError(f"{path}: is a folder; expected a file name to write", field=field)
        if folder and path.exists() and not path.is_dir():
            raise OutputError(f"{path}: is a file; expected a folder", field=field)
        existing = path if folder and path.is_dir() else path.parent
        while not existing.exists():
            existing = existing.parent
    except OSError as exc:
        raise _output_error(path, exc, field) from None
    if not existing.is_dir():
        raise OutputError(f"{path}: {existing} is a file, not a folder", field=field)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: the folder {existing} is not writable", field=field)
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
        errno.EIO: "the file written does not read back",
    }
    reason = reasons.get(exc.errno or 0, exc.strerror or str(exc))
    return OutputError(f"{path}: cannot write ({reason}); any previous file is kept", field=field)


@contextmanager
def atomic_path(
    target: str | os.PathLike[str], field: str = "out", verify: Callable[[Path], None] | None = None
) -> Iterator[Path]:
    """A temporary path beside ``target`` to write to; renamed over it on success.

    For writers that want a path (pyogrio, matplotlib, pandas, PyTables). The temporary
    file keeps the target's suffix (some writers choose the format by it).

    Parameters
    ----------
    target : path-like
        The file to write.
    field : str
        The option or key naming the output, for error messages.
    verify : callable, optional
        Called with the written temporary file before it replaces the target; raises if
        the file does not read back (for writers that do not report every failed write,
        such as HDF5's).

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
    sweep(path.parent)
    tmp = path.parent / f"{_temp_stem(path.stem)}{path.suffix}"
    try:
        yield tmp
        if not tmp.is_file():
            raise OutputError(f"{path}: nothing was written", field=field)
        _fsync_file(tmp)
        if verify is not None:
            verify(tmp)
        os.chmod(tmp, new_file_mode())
        os.replace(tmp, path)
        _fsync_folder(path.parent)
    except OSError as exc:
        refused = _probe(path.parent) if exc.errno == errno.EIO else None
        raise _output_error(path, refused or exc, field) from None
    except Exception as exc:
        wrapped = _wrapped_os_error(path, exc, field)
        if wrapped is None:
            raise
        raise wrapped from None
    finally:
        _remove(tmp)


def _probe(folder: Path) -> OSError | None:
    """Whether the folder takes 1 MiB more now: the OS error if it does not.

    Libraries that write through their own layers (GDAL, HDF5) report a refused write in
    words of their own ("no such table", "write failed"); when one fails, this tells a full
    disk or a size limit from a fault in the writing code.
    """
    probe = folder / f"{_temp_stem('probe')}"
    try:
        with open(probe, "xb") as f:
            f.write(b"\0" * (1 << 20))
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        return exc
    finally:
        _remove(probe)
    return None


#: The operating system's words for a failed write, as libraries that wrap them (GDAL,
#: HDF5, Arrow) pass them on in their own exceptions.
_OS_MESSAGES = {
    "no space left": errno.ENOSPC,
    "file too large": errno.EFBIG,
    "quota exceeded": errno.EDQUOT,
    "permission denied": errno.EACCES,
    "read-only file system": errno.EROFS,
}


def _wrapped_os_error(path: Path, exc: Exception, field: str) -> OutputError | None:
    """An OutputError for a library's exception that carries an OS write failure."""
    if isinstance(exc, OutputError):
        return exc
    text = str(exc).lower()
    for words, code in _OS_MESSAGES.items():
        if words in text:
            return _output_error(path, OSError(code, os.strerror(code)), field)
    refused = _probe(path.parent)
    return None if refused is None else _output_error(path, refused, field)


def write_bytes(target: str | os.PathLike[str], data: bytes, field: str = "out") -> Path:
    """Write ``data`` to ``target`` atomically; returns the path written.

    Raises
    ------
    OutputError
        As :func:`atomic_path`.
    """
    with atomic_path(target, field) as tmp, open(tmp, "xb") as f:
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


def atomic_folder(
    target: str | os.PathLike[str], build: Callable[[Path], None], field: str = "out"
) -> Path:
    """Build a folder of files beside ``target`` with ``build(folder)``, then swap it in.

    An older folder at ``target`` is moved aside first and removed once the new one is in
    place (restored if the rename fails). Any failure removes the temporary folder.

    Raises
    ------
    OutputError
        If the folder cannot be written; the previous folder is kept.
    """
    path = Path(target)
    check_writable(path, field, folder=True)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _output_error(path, exc, field) from None
    sweep(path.parent)
    tmp = path.parent / _temp_stem(path.name)
    old = path.parent / _temp_stem(f"{path.name}-old")
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
        wrapped = _wrapped_os_error(path, exc, field) if isinstance(exc, Exception) else None
        if wrapped is None:
            raise
        raise wrapped from None
    if moved:
        shutil.rmtree(old, ignore_errors=True)
    return path


def _temp_stem(name: str) -> str:
    """``.amur-tmp-<pid>-<name>-<random>``: the writer's process id lets a later write
    remove what a killed writer left (:func:`sweep`).
    """
    return f"{TEMP_PREFIX}{os.getpid()}-{name[:40]}-{uuid.uuid4().hex[:12]}"


def sweep(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files and folders that killed writers left in ``folder``.

    A writer killed outright (``SIGKILL``, a power cut) cannot clean up after itself; its
    temporary file never replaced the target, so the target is intact, and the next write
    into the folder removes the leftover. Temporaries of live processes are kept.

    Returns
    -------
    list of pathlib.Path
        What was removed.
    """
    removed: list[Path] = []
    try:
        entries = list(Path(folder).glob(f"{TEMP_PREFIX}*"))
    except OSError:
        return removed
    for entry in entries:
        pid_text = entry.name[len(TEMP_PREFIX) :].split("-", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            _remove(entry)
        removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - a folder that cannot be opened (not on Linux)
        return
    try:
        # some file systems refuse fsync on folders
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except IsADirectoryError:  # a writer that made a folder of the name
        shutil.rmtree(path, ignore_errors=True)
