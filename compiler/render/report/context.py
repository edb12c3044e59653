"""What every section of the report needs to speak the report's language.

`Context` carries the language's gettext catalog and locale-aware numbers
(capplan.render.report.i18n); `clean` keeps control characters from a spec out of
the report; `anchor` gives each plan, search, goal and source a unique HTML id.
"""

from __future__ import annotations

import re

from capplan.render.report.i18n import Numbers, translations

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """Text from a spec without control characters (an ESC in a model name must not reach a terminal)."""
    return _CONTROL.sub("\ufffd", text)


def anchor(prefix: str, name: str, taken: set[str]) -> str:
    """`prefix` + `name` as an HTML id not in `taken` (then added to it): `-2`, `-3`... on a clash."""
    base = prefix + re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-").lower()
    found, n = base, 2
    while found in taken:
        found, n = f"{base}-{n}", n + 1
    taken.add(found)
    return found


class Context:
    """The report's language: `_` and `t.ngettext` translate, `nf` formats numbers for the locale."""

    def __init__(self, lang: str):
        self.lang = lang
        self.t = translations(lang)
        self._ = self.t.gettext
        self.nf = Numbers(lang)

    def mem(self, x: float, unit: str) -> str:
        return self.nf.mem(x, unit)

    def dur(self, seconds) -> str:
        return self.nf.duration(seconds)

    def choice(self, kind: str, value) -> str:
        """An enumeration's value (recompute, offload) in the report's language."""
        return self.nf.choice(kind, value)

    def yes(self, flag: bool) -> str:
        return self._("yes") if flag else self._("no")
