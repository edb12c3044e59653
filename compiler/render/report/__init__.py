"""Capacity-planning reports: HTML, PDF, Markdown and terminal text, with charts and provenance.

    from capplan.render.report.render import render_report
    render_report(compilation, "html", lang="en", paper="A4")   # -> str (bytes for "pdf")
    from capplan.render.report.command import main
    main(["spec.plan", "-o", "report.pdf"], sys.stdout, sys.stderr)   # `capplan report ...` -> exit code

Modules: `build` assembles the view model (`view`: the report's content, language-resolved)
from its `sections` (one module each: summary, plan, memory, curves, layout, model, notes,
figures, time_cost, time_summary, search, procurement, assumptions, sources), with `context`
(the language) and `workloads` (the plans' declarations); `charts` (inline SVG on the `svg` canvas), `render`
(Jinja2 templates in capplan.templates), `pdf` (WeasyPrint, hermetic), `i18n` (gettext
catalogs, Babel number formats), `command` (CLI). The memory curves come from
capplan.analyses.sweep. This package imports none of its modules, so none of them depends on
another through it.
"""
