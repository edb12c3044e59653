"""The report's view model, assembled once from a Compilation and laid out by every format.

Each part comes from its section (capplan.render.report.sections); this module only orders
them and gives every plan, search, goal and source its anchor. Plans, searches, goals and
models are listed by name, so the report does not depend on the order of the spec files' declarations.
"""

from __future__ import annotations

from capplan import __version__
from capplan.analyses import reality
from capplan.render.report.context import Context, anchor, clean
from capplan.render.report.sections import (assumptions, decision, figures, notes, procurement, search, sources, summary,
                                            time_summary)
from capplan.render.report.sections.model import model_card
from capplan.render.report.sections.plan import plan_view
from capplan.render.report.view import Report
from capplan.render.report.workloads import workloads


def build_report(comp, lang: str = "en", commit: str | None = None, curves: bool = True) -> Report:
    """The report of compilation `comp` in language `lang` ("en", "zh"); `commit` is shown when given.
    `curves=False` leaves out the memory curves (each re-evaluates the plan dozens of times), for a
    format that would not show them (HTML and PDF show them only in the appendix)."""
    ctx = Context(lang)
    taken: set[str] = set()        # the anchors given so far
    declared = workloads(comp)
    plans = sorted(comp.plans, key=lambda p: (p["name"], p["file"]))
    source_views = sources.sources(comp, taken)
    source_anchor = {s.path: s.anchor for s in source_views}
    views = [plan_view(ctx, p, declared.get((p["file"], p["name"])), anchor("plan-", p["name"], taken),
                       source_anchor.get(p["file"]), curves) for p in plans]
    plans_by_name = {p["name"]: p for p in plans}
    declared_by_name = {name: w for (_f, name), w in sorted(declared.items())}
    searches = [search.search(ctx, s, anchor("search-", s["name"], taken), plans_by_name.get(s["target"]),
                              source_anchor.get(clean(s.get("file", ""))))
                for s in sorted(comp.searches, key=lambda s: (s["name"], s.get("file", "")))]
    goals = [procurement.goal(ctx, g, anchor("goal-", g["name"], taken), declared_by_name.get(g["target"]),
                              source_anchor.get(clean(g.get("file", ""))))
             for g in sorted(comp.goals, key=lambda g: (g["name"], g.get("file", "")))]
    time_tables, time_notes = time_summary.summary_tables(ctx, plans)
    used = {p["model"]["name"] for p in plans}
    models = [model_card(ctx, m) for m in sorted(comp.models, key=lambda m: m["name"]) if m["name"] not in used]
    ok = summary.all_ok(comp, plans)
    headline = [p for p in plans if not reality.expected_to_fail(p)]     # never a counter-example
    missed = bool(reality.deadline_findings(plans, comp.goals))
    decided = decision.decision(ctx, comp, plans, declared, searches, goals, source_views,
                                summary.verdict(ctx, plans, ok, missed) + ctx._("."), ok)
    return Report(
        lang=lang, title=summary.title(ctx, comp), files=summary.files(comp), commit=commit, version=__version__,
        ok=decided.ok, verdict=decided.verdict, decision=decided,
        summary=summary.summary_table(ctx, [v.summary_row for v in views], [v.ok for v in views]),
        key_figures=summary.key_figures(ctx, plans, headline) + time_summary.key_figures(ctx, headline),
        plans=views, models=models, notes=notes.diagnostics(comp), constants=assumptions.memory_constants(ctx),
        sources=source_views, lexer_note=sources.lexer_note(ctx), sep="" if lang == "zh" else " ",
        formulas=figures.formulas(ctx, plans), time_tables=time_tables, time_notes=time_notes,
        answers=time_summary.answers(ctx, searches, goals), searches=searches, goals=goals,
        time_constants=assumptions.time_constants(ctx))
