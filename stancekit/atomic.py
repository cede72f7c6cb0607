"""Atomic writes: a file or folder appears complete or not at all.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "report.json"
>>> write_text_atomic(p, "{}")
>>> p.read_text()
'{}'
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from stancekit.errors import StancekitError


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and an atomic rename.

    Raises:
        StancekitError: E503 when ``path`` is a folder or its folder cannot be written.
    """
    path = Path(path)
    if path.is_dir():
        raise StancekitError("E503", f"{path} is a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise StancekitError("E503", f"{path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _orphans(path: Path, kind: str) -> list[Path]:
    """``.NAME.KIND-PID-*`` siblings of ``path`` left by processes that no longer run."""
    found = []
    for p in path.parent.glob(f".{glob.escape(path.name)}.{kind}-*"):
        pid = p.name[len(f".{path.name}.{kind}-") :].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            with contextlib.suppress(FileNotFoundError):  # another process cleaned it up meanwhile
                found.append((p.stat().st_mtime, p))
    return [p for _, p in sorted(found)]


def recover_directory(path: str | os.PathLike) -> None:
    """Clean up after a process killed inside :func:`atomic_directory` (same host).

    A killed writer leaves ``.NAME.partial-PID-*`` (an incomplete new folder: removed) and,
    if it died between its two renames, ``.NAME.old-PID-*`` (the previous complete folder,
    while ``path`` is missing: moved back). Folders of running processes are left alone.
    """
    path = Path(path)
    if not path.parent.is_dir():
        return
    for partial in _orphans(path, "partial"):
        shutil.rmtree(partial, ignore_errors=True)
    olds = _orphans(path, "old")
    if olds and not path.exists():
        with contextlib.suppress(OSError):  # another process restored it meanwhile
            os.replace(olds.pop(), path)
    for old in olds:
        shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike, *, overwrite: bool = True) -> Iterator[Path]:
    """Yield a temporary folder that replaces ``path`` only if the block succeeds.

    The previous folder at ``path`` (if any) stays in place until the new one is
    complete, so a crash leaves either the old complete folder or the new one. Even
    SIGKILL between the two renames loses nothing: the old folder waits in
    ``.NAME.old-PID-*`` and the next call (or :func:`recover_directory`) moves it back.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    recover_directory(path)
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.partial-{os.getpid()}-"))
    # mkdtemp makes the folder private (0700); give it the mode a plain mkdir would (shared storage, clusters)
    os.chmod(tmp, 0o777 & ~_umask())
    try:
        yield tmp
        if path.exists():
            if not overwrite:
                raise FileExistsError(path)
            old = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.old-{os.getpid()}-"))
            os.rmdir(old)
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
