"""Capacity-planning reports: HTML, PDF, Markdown and terminal text, with charts and provenance.

    from capplan.render.report import render_report, main
    render_report(compilation, "html", lang="en", paper="A4")   # -> str (bytes for "pdf")
    main(["spec.plan", "-o", "report.pdf"], sys.stdout, sys.stderr)   # `capplan report ...` -> exit code

Modules: `model` (the report's content, language-resolved), `sweep` (memory
re-evaluated at other sequence lengths and batch sizes), `charts` (matplotlib
SVG), `render` (Jinja2 templates in capplan.templates), `pdf` (WeasyPrint,
hermetic), `i18n` (gettext catalogs, Babel number formats), `command` (CLI).
"""

from __future__ import annotations

from capplan.render.report.command import configure_parser, main, run
from capplan.render.report.render import FORMATS, render_report

__all__ = ["render_report", "main", "run", "configure_parser", "FORMATS"]
