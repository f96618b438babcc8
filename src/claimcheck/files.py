"""Writing into ``build/`` without following a planted link and without leaving half a file.

Every file the suite writes into ``build/`` goes through here (papermill writes the executed
notebooks itself, into a new run folder where no link can be: links are never copied into one).
A file is written to a new temporary file beside it
(``O_EXCL``: never an existing name, never a link) and renamed over the target: a rename replaces
a symbolic link itself, never what it points to, and a reader sees the old file or the new one.
Files that are opened in place (the lock, the appended history) are opened with ``O_NOFOLLOW``
and must be regular files. Every write is checked for its full length: a short write (a full
disk) is an error, never a truncated file.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path


class UnsafeFile(OSError):
    """A file the run would write that is a symbolic link, or not a regular file."""

    def __str__(self) -> str:
        return f"{self.filename} {self.strerror}"


def open_regular(path: Path, flags: int, mode: int = 0o644) -> int:
    """``os.open`` that refuses a symbolic link (``O_NOFOLLOW``) and anything but a regular file."""
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeFile(errno.ELOOP, "is a symbolic link, not a regular file; remove it "
                             "(claimcheck never writes through a link)", str(path)) from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise UnsafeFile(errno.EINVAL, "is not a regular file; remove it", str(path))
    return fd


def write_all(fd: int, data: bytes, path: Path | str = "") -> None:
    """Write every byte of ``data`` or raise: ``os.write`` may write less than asked (a full disk)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        view = view[written:]


def write_bytes(path: Path, data: bytes, durable: bool = False) -> Path:
    """Replace ``path`` by ``data`` through a temporary file and a rename (``durable``: fsync first).

    On any error the temporary file is removed and ``path`` is left as it was."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        write_all(fd, data, path)
        if durable:
            os.fsync(fd)
        os.fchmod(fd, 0o644)
        os.close(fd)
        fd = -1
        os.replace(tmp, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text(path: Path, text: str, durable: bool = False) -> Path:
    """``write_bytes`` of ``text`` in UTF-8."""
    return write_bytes(path, text.encode("utf-8"), durable)


def append_line(path: Path, line: bytes) -> Path:
    """Append ``line`` (ending in a newline) to the regular file ``path``, fsynced, all or nothing.

    When the file does not end in a newline (a line cut off earlier), the new line starts on a
    line of its own. A short or failed write is undone (the file is cut back to its old length)
    and raised, so the old lines stay intact."""
    path = Path(path)
    fd = open_regular(path, os.O_RDWR | os.O_APPEND | os.O_CREAT)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line
        try:
            write_all(fd, line, path)
            os.fsync(fd)
        except OSError as exc:
            os.ftruncate(fd, size)
            raise OSError(exc.errno, exc.strerror, str(path)) from None
    finally:
        os.close(fd)
    return path
