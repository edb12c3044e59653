"""The report's view model: what every format lays out, as data in the report's language.

Everything here is already translated and formatted for the locale: labels, numbers, tables as
rows of strings. The templates (templates/report.*.j2) only arrange it, so HTML, PDF, Markdown
and terminal text always say the same. Charts are described by their data (`Chart.spec`); the
SVG is drawn (capplan.render.report.charts) only for the formats that show pictures.
The sections (capplan.render.report.sections) build these from the evaluated plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

# The views' classes are dataclasses that generate only __init__ (CPython compiles each generated method
# at import: __repr__ and __eq__ of these eleven classes cost every report ~2 ms); View gives them the same
# __repr__ and __eq__, written once, and leaves them unhashable, as a dataclass with eq is.
view = dataclass(repr=False, eq=False)


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
    kind: str                  # "stack" | "curve" | "pareto" | "bars"
    title: str
    description: str           # the alt text: what the chart shows, in words
    spec: dict                 # everything charts.py needs to draw it
    table: Table
    svg: str | None = None
    legend: list = field(default_factory=list)


@view
class Note(View):
    level: str                 # "error" | "warning" | "info"
    text: str


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


@view
class TimeView(View):
    """A plan's time and cost (training) or serving performance (inference)."""
    title: str
    available: bool
    line: str                      # one line of the key figures (or why there are none)
    reason: str | None = None      # the engine's reason when it could not estimate them
    table: Table | None = None     # the figures, label and value
    chart: Chart | None = None     # training: the step time by part
    bases: Table | None = None     # the cost on demand, reserved and owned (engine/tco.py)


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


@view
class SourceView(View):
    path: str
    text: str
    lines: int
    anchor: str


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
