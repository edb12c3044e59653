"""Line endings of spec files, for `capplan fmt`: kept as the file has them, or as `--eol` says.

A file's line ending is the one most of its lines use (CRLF for a file checked out on
Windows with `core.autocrlf`); the formatter works on LF text and the result is written
back with that ending. Mixed endings are normalised to the majority, with a note. A
difference in line endings alone is no formatting difference unless `--eol` asks for one.
"""

from __future__ import annotations

from dataclasses import dataclass

ENDINGS = {"lf": "\n", "crlf": "\r\n"}


@dataclass(frozen=True)
class Endings:
    crlf: int
    lf: int  # lines ending in a bare "\n"

    @property
    def majority(self) -> str:
        return "\r\n" if self.crlf > self.lf else "\n"

    @property
    def mixed(self) -> bool:
        return self.crlf > 0 and self.lf > 0

    @property
    def name(self) -> str:
        return "CRLF" if self.majority == "\r\n" else "LF"


def count(text: str) -> Endings:
    crlf = text.count("\r\n")
    return Endings(crlf=crlf, lf=text.count("\n") - crlf)


def to_lf(text: str) -> str:
    return text.replace("\r\n", "\n")


def with_ending(text: str, ending: str) -> str:
    """LF text with every line ending replaced by `ending`."""
    return to_lf(text).replace("\n", ending) if ending != "\n" else to_lf(text)
