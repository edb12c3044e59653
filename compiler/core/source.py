"""Source files and spans: where every AST node and diagnostic points."""

from __future__ import annotations

import os
import stat

from capplan.core.limits import limits
from capplan.core.records import Record, record, set_field


@record
class Span(Record):
    """A half-open region of one source file, 1-based lines and columns.

    A frozen record (capplan.core.records) with slots; its comparisons and hash are written out,
    as spans are compared and hashed often (diagnostics are deduplicated by span).
    """

    __slots__ = ("path", "line", "column", "end_line", "end_column")
    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __init__(self, path: str, line: int, column: int, end_line: int, end_column: int) -> None:
        set_field(self, "path", path)
        set_field(self, "line", line)
        set_field(self, "column", column)
        set_field(self, "end_line", end_line)
        set_field(self, "end_column", end_column)

    def __eq__(self, other):
        if other.__class__ is Span:
            return (self.path, self.line, self.column, self.end_line, self.end_column) == \
                (other.path, other.line, other.column, other.end_line, other.end_column)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.path, self.line, self.column, self.end_line, self.end_column))

    def __getstate__(self) -> list:  # as a slotted dataclass pickles: caches written before still load
        return [self.path, self.line, self.column, self.end_line, self.end_column]

    def __setstate__(self, state: list) -> None:  # written out: the catalog cache holds thousands of spans
        set_field(self, "path", state[0])
        set_field(self, "line", state[1])
        set_field(self, "column", state[2])
        set_field(self, "end_line", state[3])
        set_field(self, "end_column", state[4])

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@record
class SourceFile(Record):
    """A file read during a compilation: the path shown to users and its text."""

    __slots__ = ("path", "text")
    path: str  # the path shown to users (relative where possible)
    text: str

    def __init__(self, path: str, text: str) -> None:
        set_field(self, "path", path)
        set_field(self, "text", text)

    def __getstate__(self) -> list:
        return [self.path, self.text]

    def __setstate__(self, state: list) -> None:
        set_field(self, "path", state[0])
        set_field(self, "text", state[1])

    def line_text(self, line: int) -> str:
        """Line `line` (1-based) as the parser counts lines: ended by "\n" alone. (str.splitlines also
        breaks at a form feed, U+2028 and other separators the grammar treats as blanks, which showed
        the wrong line under a diagnostic, or none.)"""
        lines = self.text.split("\n")
        return lines[line - 1].removesuffix("\r") if 0 < line <= len(lines) else ""


class SourceMap:
    """Every file read during one compilation, for rendering carets."""

    def __init__(self) -> None:
        self._files: dict[str, SourceFile] = {}

    def add(self, source: SourceFile) -> None:
        self._files[source.path] = source

    def get(self, path: str) -> SourceFile | None:
        return self._files.get(path)


class SourceRefused(OSError):
    """A file capplan will not read: not a regular file, or over the size limit.

    `code` is the diagnostic code (E0506, E0507); str() is the reason in words.
    """

    def __init__(self, code: str, reason: str, hint: str):
        super().__init__(reason)
        self.code = code
        self.hint = hint


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISSOCK, "a socket"))


def read_bounded(path: str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; SourceRefused otherwise.

    The file is opened without blocking (a FIFO with no writer would hang a plain
    open), checked on the open descriptor (no race between the check and the read),
    and read with a bound, so a file growing while it is read cannot exceed it.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
            raise SourceRefused("E0506", f"{kind}, not a regular file",
                                "capplan reads regular files only (no devices, pipes or sockets)")
        if info.st_size > limit:
            raise SourceRefused("E0507", _too_large(info.st_size, limit), _LIMIT_HINT)
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise SourceRefused("E0507", _too_large(total, limit), _LIMIT_HINT)
        return b"".join(chunks)
    finally:
        os.close(fd)


_LIMIT_HINT = "split the file, or raise the limit where capplan runs (see SECURITY.md)"


def _too_large(size: int, limit: int) -> str:
    return f"{size:,} bytes, over the limit of {limit:,} bytes" if size > limit else f"over {limit:,} bytes"


def read_spec(path: str) -> str:
    """A spec file's text: a regular file within the spec size limit, decoded as UTF-8."""
    return read_bounded(path, limits().max_spec_bytes).decode("utf-8")


def read_config(path: str) -> str:
    """A JSON config's text (import-hf): a regular file within the config size limit, as UTF-8."""
    return read_bounded(path, limits().max_config_bytes).decode("utf-8")
