"""The spec language's Pygments lexer (capplan.lang.highlight) for the report's highlighted
sources; None where Pygments is missing, and the report then shows the sources as plain text
and says so."""

from __future__ import annotations

from importlib.util import find_spec

if find_spec("pygments") is not None:
    from capplan.lang.highlight import CapplanLexer
else:  # pragma: no cover - Pygments is a dependency of the package
    CapplanLexer = None
