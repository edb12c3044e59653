"""The report's view model: what every format lays out, as data in the report's language.

Everything here is already translated and formatted for the locale: labels, numbers, tables as
rows of strings. The templates (templates/report.*.j2) only arrange it, so HTML, PDF, Markdown
and terminal text always say the same. Charts are described by their data (`Chart.spec`); the
SVG is drawn (capplan.render.report.charts) only for the formats that show pictures.
The sections (capplan.render.report.sections) build these from the evaluated plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

# The views' classes are registered with dataclasses (fields(), replace() and is_dataclass() work) but
# generate no methods: CPython compiles each generated method when the module is imported, and these
# eleven classes' __init__, __repr__ and __eq__ cost every report ~4 ms. Each class writes its __init__
# in its source (a field with a list for default takes None for a new list); View gives them the
# dataclass __repr__ and __eq__, written once, and leaves them unhashable, as a dataclass with eq is.
view = dataclass(init=False, repr=False, eq=False)


class View:
    """Base of the view classes: repr and equality by field, in order, as dataclass writes them."""

    __hash__ = None   # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
        return f"{self.__class__.__qualname__}({shown})"

    def _compared(self) -> tuple:
        return tuple(getattr(self, f.name) for f in fields(self) if f.compare)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._compared() == other._compared()
        return NotImplemented


@view
class Table(View):
    headers: list[str]
    rows: list[list[str]]
    align: list[str] = field(default_factory=list)       # "l" | "r" per column
    classes: list[str] = field(default_factory=list)     # per row: "" | "bad" | "current" | "sub"
    caption: str = ""
    code_columns: frozenset = frozenset()                 # columns shown as code
    drop_order: tuple = ()      # terminal text too narrow: the columns left out first (default: right to left,
                                # never the first or the last)
    nowrap: frozenset = frozenset()      # terminal text: columns never wrapped (names searched for as a whole)
    lead: tuple = ()            # HTML and PDF: the decisive columns (peak, fits, ...), shown right after the first
                                # so a table too wide for the screen scrolls only what matters less
    units: tuple = ()           # per column, the unit of cells written as bare numbers ("" for none): Markdown
                                # puts it in the header, `weights (GiB)`, as a PR comment has no caption beside
                                # its table; HTML, PDF and text say it once in the caption and stay narrow

    def __init__(self, headers: list[str], rows: list[list[str]], align: list[str] | None = None,
                 classes: list[str] | None = None, caption: str = "", code_columns: frozenset = frozenset(),
                 drop_order: tuple = (), nowrap: frozenset = frozenset(), lead: tuple = (),
                 units: tuple = ()) -> None:
        vars(self).update(headers=headers, rows=rows, align=[] if align is None else align,
                          classes=[] if classes is None else classes, caption=caption, code_columns=code_columns,
                          drop_order=drop_order, nowrap=nowrap, lead=lead, units=units)
        self.__post_init__()

    def __post_init__(self):
        if not self.align:
            self.align = ["l"] + ["r"] * (len(self.headers) - 1)
        if not self.classes:
            self.classes = [""] * len(self.rows)

    def leading(self) -> "Table":
        """The same table with the `lead` columns moved right after the first column."""
        if not self.lead:
            return self
        order = [0] + [i for i in self.lead if i] + [i for i in range(1, len(self.headers)) if i not in self.lead]
        where = {old: new for new, old in enumerate(order)}
        return Table([self.headers[i] for i in order], [[r[i] for i in order] for r in self.rows],
                     [self.align[i] for i in order], self.classes, self.caption,
                     frozenset(where[i] for i in self.code_columns),
                     units=tuple(self.units[i] for i in order) if self.units else ())


    def without(self, drop: set, caption: str | None = None) -> "Table":
        """The same table without the columns `drop` (indices of this table)."""
        keep = [i for i in range(len(self.headers)) if i not in drop]
        where = {old: new for new, old in enumerate(keep)}
        return Table([self.headers[i] for i in keep], [[r[i] for i in keep if i < len(r)] for r in self.rows],
                     [self.align[i] for i in keep], self.classes, self.caption if caption is None else caption,
                     frozenset(where[i] for i in self.code_columns if i in where),
                     tuple(where[i] for i in self.drop_order if i in where),
                     frozenset(where[i] for i in self.nowrap if i in where),
                     tuple(where[i] for i in self.lead if i in where),
                     tuple(self.units[i] for i in keep) if self.units else ())


def kv_table(pairs: list[tuple[str, str]], caption: str = "") -> Table:
    """A two-column table of labels and values."""
    return Table(["", ""], [[k, v] for k, v in pairs], ["l", "l"], caption=caption)


@view
class Chart(View):
    id: str
    kind: str                  # "stack" | "curve" | "pareto" | "bars" | "latency" | "roofline"
    title: str
    description: str           # the alt text: what the chart shows, in words
    spec: dict                 # everything charts.py needs to draw it
    table: Table | None        # the chart's data; None where another table of the section holds it
    svg: str | None = None
    legend: list = field(default_factory=list)

    def __init__(self, id: str, kind: str, title: str, description: str, spec: dict, table: Table | None,
                 svg: str | None = None, legend: list | None = None) -> None:
        vars(self).update(id=id, kind=kind, title=title, description=description, spec=spec, table=table, svg=svg,
                          legend=[] if legend is None else legend)


@view
class Note(View):
    level: str                 # "error" | "warning" | "info"
    text: str

    def __init__(self, level: str, text: str) -> None:
        vars(self).update(level=level, text=text)


@view
class ModelCard(View):
    name: str
    display_name: str
    total: str
    total_exact: str
    active: str | None
    exact: bool
    components: Table | None
    architecture: Table | None

    def __init__(self, name: str, display_name: str, total: str, total_exact: str, active: str | None, exact: bool,
                 components: Table | None, architecture: Table | None) -> None:
        vars(self).update(name=name, display_name=display_name, total=total, total_exact=total_exact, active=active,
                          exact=exact, components=components, architecture=architecture)


@view
class TimeView(View):
    """A plan's time and cost (training) or serving performance (inference)."""
    title: str
    available: bool
    line: str                      # one line of the key figures (or why there are none)
    reason: str | None = None      # the engine's reason when it could not estimate them
    table: Table | None = None     # the figures, label and value
    chart: Chart | None = None     # training: the step time by part; serving: latency against load
    bases: Table | None = None     # the cost on demand, reserved and owned (engine/tco.py)
    roofline: Chart | None = None  # serving: prefill and decode on the GPU's roofline (its data: the table)

    def __init__(self, title: str, available: bool, line: str, reason: str | None = None,
                 table: Table | None = None, chart: Chart | None = None, bases: Table | None = None,
                 roofline: Chart | None = None) -> None:
        vars(self).update(title=title, available=available, line=line, reason=reason, table=table, chart=chart,
                          bases=bases, roofline=roofline)


@view
class PlanView(View):
    id: str
    name: str
    kind: str
    kind_label: str
    file: str
    line: int
    fits: bool
    ok: bool
    verdict: str
    peak: str
    capacity: str
    model: ModelCard
    hardware: Table
    layout: Table
    precision: Table
    memory_chart: Chart
    curves: list[Chart]
    curves_note: str | None
    serving: Table | None
    requirements: Table | None
    notes: list[Note]
    figures: Table
    summary_row: list[str]
    source_anchor: str | None = None
    training_tokens: str | None = None     # what the plan asks to train on
    headline: str = ""                     # hardware and layout in one line
    figure_values: Table | None = None     # compact: the figures that are not per-stage memory, value only
    time: TimeView | None = None           # step time and cost, or serving latency and cost

    def __init__(self, id: str, name: str, kind: str, kind_label: str, file: str, line: int, fits: bool, ok: bool,
                 verdict: str, peak: str, capacity: str, model: ModelCard, hardware: Table, layout: Table,
                 precision: Table, memory_chart: Chart, curves: list[Chart], curves_note: str | None,
                 serving: Table | None, requirements: Table | None, notes: list[Note], figures: Table,
                 summary_row: list[str], source_anchor: str | None = None, training_tokens: str | None = None,
                 headline: str = "", figure_values: Table | None = None, time: TimeView | None = None) -> None:
        vars(self).update(id=id, name=name, kind=kind, kind_label=kind_label, file=file, line=line, fits=fits,
                          ok=ok, verdict=verdict, peak=peak, capacity=capacity, model=model, hardware=hardware,
                          layout=layout, precision=precision, memory_chart=memory_chart, curves=curves,
                          curves_note=curves_note, serving=serving, requirements=requirements, notes=notes,
                          figures=figures, summary_row=summary_row, source_anchor=source_anchor,
                          training_tokens=training_tokens, headline=headline, figure_values=figure_values,
                          time=time)


@view
class SearchView(View):
    id: str
    name: str
    target: str
    file: str
    line: int
    summary: str                   # the counts and the objective, in a sentence
    best: str | None               # the best layout, in words (None: no layout is left)
    empty_reason: str | None
    answer: str                    # the best layout with its step time, for the executive summary
    top: Table | None
    pareto_chart: Chart | None
    pareto: Table | None
    rejected: Table | None
    rejected_top: Table | None     # the most frequent reasons only (Markdown)
    rejected_more: int = 0         # reasons left out of rejected_top
    source_anchor: str | None = None

    def __init__(self, id: str, name: str, target: str, file: str, line: int, summary: str, best: str | None,
                 empty_reason: str | None, answer: str, top: Table | None, pareto_chart: Chart | None,
                 pareto: Table | None, rejected: Table | None, rejected_top: Table | None, rejected_more: int = 0,
                 source_anchor: str | None = None) -> None:
        vars(self).update(id=id, name=name, target=target, file=file, line=line, summary=summary, best=best,
                          empty_reason=empty_reason, answer=answer, top=top, pareto_chart=pareto_chart,
                          pareto=pareto, rejected=rejected, rejected_top=rejected_top, rejected_more=rejected_more,
                          source_anchor=source_anchor)


@view
class GoalView(View):
    id: str
    name: str
    target: str
    kind: str
    file: str
    line: int
    question: str                  # what the goal asks, in a sentence
    answer: str                    # the first-ranked option, in a sentence
    options: Table
    chart: Chart | None
    chart_note: str | None = None
    source_anchor: str | None = None
    found: bool = False            # some GPU type meets the goal

    def __init__(self, id: str, name: str, target: str, kind: str, file: str, line: int, question: str, answer: str,
                 options: Table, chart: Chart | None, chart_note: str | None = None,
                 source_anchor: str | None = None, found: bool = False) -> None:
        vars(self).update(id=id, name=name, target=target, kind=kind, file=file, line=line, question=question,
                          answer=answer, options=options, chart=chart, chart_note=chart_note,
                          source_anchor=source_anchor, found=found)


@view
class SourceView(View):
    path: str
    text: str
    lines: int
    anchor: str

    def __init__(self, path: str, text: str, lines: int, anchor: str) -> None:
        vars(self).update(path=path, text=text, lines=lines, anchor=anchor)


@view
class Decision(View):
    """The decision page: the verdict, each question's answer, the recommendation, risks and prices."""
    verdict: str
    ok: bool
    answers: Table | None
    card: Table | None
    card_title: str
    risks: list[Note]
    prices: Table | None = None          # each GPU's price per GPU-hour with its source and date
    sensitivity: Table | None = None     # the first choice with each price 30% lower and higher
    fleets: Table | None = None          # serving plans: the fleet's cost per hour and per month

    def __init__(self, verdict: str, ok: bool, answers: Table | None, card: Table | None, card_title: str,
                 risks: list[Note], prices: Table | None = None, sensitivity: Table | None = None,
                 fleets: Table | None = None) -> None:
        vars(self).update(verdict=verdict, ok=ok, answers=answers, card=card, card_title=card_title, risks=risks,
                          prices=prices, sensitivity=sensitivity, fleets=fleets)


@view
class Report(View):
    lang: str
    title: str
    files: list[str]
    commit: str | None
    version: str
    ok: bool
    verdict: str
    summary: Table | None
    key_figures: list[tuple[str, str, str]]      # label, value, the plan it comes from (or "")
    plans: list[PlanView]
    models: list[ModelCard]
    notes: list[Note]
    constants: Table
    sources: list[SourceView]
    lexer_note: str | None = None
    sep: str = " "             # between a label ending in a colon and its text: none after a full-width colon
    formulas: Table | None = None   # compact provenance: each kind of figure's formula and source, once
    time_tables: list[Table] = field(default_factory=list)   # executive summary: time and cost per plan, by kind
    time_notes: list[Note] = field(default_factory=list)     # plans whose time the engine could not estimate
    answers: Table | None = None                             # executive summary: each search's and goal's answer
    searches: list[SearchView] = field(default_factory=list)
    goals: list[GoalView] = field(default_factory=list)
    time_constants: Table | None = None                      # the time model's assumed constants
    decision: Decision | None = None                         # the decision page, first in every format
    appendix: bool = True                                    # provenance and sources shown

    def __init__(self, lang: str, title: str, files: list[str], commit: str | None, version: str, ok: bool,
                 verdict: str, summary: Table | None, key_figures: list[tuple[str, str, str]],
                 plans: list[PlanView], models: list[ModelCard], notes: list[Note], constants: Table,
                 sources: list[SourceView], lexer_note: str | None = None, sep: str = ' ',
                 formulas: Table | None = None, time_tables: list[Table] | None = None,
                 time_notes: list[Note] | None = None, answers: Table | None = None,
                 searches: list[SearchView] | None = None, goals: list[GoalView] | None = None,
                 time_constants: Table | None = None, decision: Decision | None = None,
                 appendix: bool = True) -> None:
        vars(self).update(lang=lang, title=title, files=files, commit=commit, version=version, ok=ok,
                          verdict=verdict, summary=summary, key_figures=key_figures, plans=plans, models=models,
                          notes=notes, constants=constants, sources=sources, lexer_note=lexer_note, sep=sep,
                          formulas=formulas, time_tables=[] if time_tables is None else time_tables,
                          time_notes=[] if time_notes is None else time_notes, answers=answers,
                          searches=[] if searches is None else searches, goals=[] if goals is None else goals,
                          time_constants=time_constants, decision=decision, appendix=appendix)
