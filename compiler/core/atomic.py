"""Atomic output: every file capplan writes goes through here.

A temporary file in the destination's directory, flushed to disk, then
renamed over the destination: readers see the old file or the new one,
never a partial one, and a failed run leaves nothing behind. An existing
file keeps its permissions; a new one gets 0644.

Only regular files are written: a destination that is a symbolic link, a
directory, a device, a pipe or a socket is refused (renaming over it would
replace a device node or a link with a plain file), and so is a destination
whose directory does not exist. Commands call `output_problem` first, to
report these as usage errors before doing any work. The temporary file is
removed on every exit this process can catch: errors, Ctrl-C, and SIGTERM
(turned into an exception while the file is written). Only SIGKILL, which
no process can catch, can leave a `.capplan-*.tmp` behind.
"""

from __future__ import annotations

import os
import signal
import stat
import tempfile
import threading


STDOUT = "-"  # `-o -`: standard output, never a file named `-` (to write one, say `-o ./-`)


class OutputRefused(OSError):
    """A destination capplan will not write: `filename` and, in words, `strerror` (as for OSError)."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"cannot write {path}: {problem}")
        self.filename, self.strerror = path, problem

    def __str__(self) -> str:
        return f"cannot write {self.filename}: {self.strerror}"


def output_problem(path: str) -> str | None:
    """Why `path` cannot be written atomically, in words; None if it can."""
    if not path:
        return "the output path is empty"
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return f"directory {os.path.dirname(path) or '.'} does not exist"
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot inspect it ({exc.strerror or exc.__class__.__name__})"
    if stat.S_ISLNK(info.st_mode):
        return "it is a symbolic link (capplan replaces regular files only)"
    if not stat.S_ISREG(info.st_mode):
        kind = ("a directory" if stat.S_ISDIR(info.st_mode) else "a device" if stat.S_ISCHR(info.st_mode)
                or stat.S_ISBLK(info.st_mode) else "a named pipe" if stat.S_ISFIFO(info.st_mode) else "a socket"
                if stat.S_ISSOCK(info.st_mode) else "not a regular file")
        return f"it is {kind}, not a regular file"
    return None


class _Terminated(BaseException):
    pass


def _raise_terminated(signum, frame):
    raise _Terminated()


def write_atomically(path: str, data: str | bytes) -> None:
    problem = output_problem(path)
    if problem:
        raise OutputRefused(path, problem)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = os.path.dirname(os.path.abspath(path))
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_terminated) if main_thread else None
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".capplan-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            mode = os.stat(path).st_mode & 0o7777
        except OSError:
            mode = 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except _Terminated:
        _remove(tmp)
        raise SystemExit(128 + signal.SIGTERM) from None
    except BaseException:
        _remove(tmp)
        raise
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


def _remove(tmp: str | None) -> None:
    if tmp is not None:
        try:
            os.unlink(tmp)
        except OSError:
            pass
