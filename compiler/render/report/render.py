"""Render a report: Jinja2 templates (autoescaped HTML), Markdown, terminal text, PDF.

`render_report(comp, fmt, lang, paper)` is the one entry point: `str` for
html, md and txt, `bytes` for pdf. The output depends only on its inputs (no
clock, no environment), so the same specs give byte-identical HTML and
Markdown; the git commit shows only when the caller passes it.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from markupsafe import Markup

from capplan.core.escape import markdown_text, visible
from capplan.render.fit import DEFAULT_WIDTH, fit_line, fit_lines, shrink_widths
from capplan.render.report import charts
from capplan.render.report.build import build_report
from capplan.render.report.i18n import HTML_LANG, LANGUAGES, N_, templates_dir, translations
from capplan.render.report.jinja import PrecompiledLoader
from capplan.render.report.pdf_tables import (PDF_FONT_PT, PDF_PAD_PT, PDF_TABLE_PT, PDF_WIDE_FONT_PT,  # noqa: F401
                                              PDF_WIDE_PAD_PT, _longest_unbroken, column_widths, printable)
from capplan.render.report.lexer import CapplanLexer
from capplan.render.report.pdf import html_to_pdf
from capplan.render.report.view import Report, Table

FORMATS = ("html", "pdf", "md", "txt")
PAPERS = {"a4": "A4", "letter": "letter"}


# ------------------------------------------------------------------------- Jinja

@functools.lru_cache(maxsize=None)
def environment(lang: str):
    from jinja2 import Environment, StrictUndefined, pass_context, select_autoescape

    env = Environment(
        loader=PrecompiledLoader(str(templates_dir())),   # the templates' Python generated ahead of time
        # HTML templates (and strings) are escaped; only .md.j2 and .txt.j2 are not
        autoescape=select_autoescape(enabled_extensions=("html.j2", "html"), disabled_extensions=("md.j2", "txt.j2"),
                                     default_for_string=True, default=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)
    env.filters.update(md=md_escape, mdcode=md_code, mdtable=lambda t: md_table(t, translations(lang).gettext),
                       texttable=pass_context(_texttable_filter),
                       width=display_width,
                       underline=underline, wrap=wrap_text, colwidths=column_widths, textbar=text_bar,
                       printable=lambda t: printable(t, translations(lang).gettext),
                       pad=pad_to, rows_html=rows_html)
    return env


def rows_html(t, kv: bool):
    """A table's body rows as HTML, every cell escaped: a key-value table's first cell is a row header; a code
    column's non-blank cell is <code>; every other cell carries its column's alignment class and header
    (data-label, the phone layout's card label). Written here rather than as a template loop: the report's
    tables hold thousands of cells."""
    from markupsafe import Markup, escape

    out = []
    heads = [escape(h) for h in t.headers]
    aligns = [escape(a) for a in t.align]
    for row, cls in zip(t.rows, t.classes):
        cells = []
        for i, cell in enumerate(row):
            if kv and i == 0:
                cells.append(f'<th scope="row">{escape(cell)}</th>')
            elif i in t.code_columns and cell.strip():
                cells.append(f'<td class="{aligns[i]}" data-label="{heads[i]}"><code>{escape(cell.strip())}</code></td>')
            else:
                cells.append(f'<td class="{aligns[i]}" data-label="{heads[i]}">{escape(cell)}</td>')
        out.append(f'<tr class="{escape(cls)}">' if cls else "<tr>")
        out.append("".join(cells))
        out.append("</tr>\n")
    return Markup("".join(out))


# ------------------------------------------------------------------------- text helpers

def display_width(text: str) -> int:
    """Terminal columns: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def pad_to(text: str, width: int) -> str:
    return _pad(str(text), width, False)


def text_bar(total: float, capacity: float, scale: float, color: bool = False, width: int = 48) -> str:
    """`[#####.....|]`: memory against capacity (`|`), all bars of a chart on one `scale`; over
    capacity the bar runs past the mark."""
    scale = max(scale, total, capacity) or 1.0
    filled = round(width * total / scale)
    mark = round(width * capacity / scale)

    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color and text else text

    end = " " * (width - max(filled, mark))
    if total <= capacity:
        return "[" + paint("#" * filled, "32") + "." * (mark - filled) + "|" + end + "]"
    return "[" + paint("#" * mark, "31") + "|" + paint("#" * (filled - mark), "1;31") + end + "]"


def underline(text: str, char: str = "=") -> str:
    return text + "\n" + char * display_width(text)


def wrap_text(text: str, width: int = 100, indent: str = "") -> str:
    """Wrap prose at `width` columns (CJK text may break between any two characters)."""
    out = []
    for para in text.split("\n"):
        line, col = "", 0
        # CJK text may break between any two characters, but not inside a run of Latin letters and digits
        for word in re.findall(r"\S+\s*|\s+", para) if not _has_cjk(para) else re.findall(r"[!-~]+\s*|.", para):
            w = display_width(word.rstrip())
            if line and col + w > width - len(indent) and word not in _NO_LINE_START:
                out.append(indent + line.rstrip())
                line, col = "", 0
                word = word.lstrip()
            line += word
            col += display_width(word)
        out.append(indent + line.rstrip())
    return "\n".join(out)


_NO_LINE_START = set("。，、；：！？）」』】》")   # CJK punctuation never starts a line


def _has_cjk(text: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in ("W", "F") for ch in text)


def text_table(t: Table, color: bool = False, max_width: int = 60, width: int = DEFAULT_WIDTH,
               gettext=None) -> str:
    """An aligned text table; long cells (formulas, sources) wrap inside their column, and the widest
    columns are narrowed (down to their longest word, at most max(12, width / 5) columns: longer words are cut)
    until the table fits `width`;
    if it still does not, columns are left out (Table.drop_order) and a line below names them."""
    headers = list(t.headers)
    key_value = all(not h for h in headers)
    rows = [[c.replace("\n", " ") for c in r] + [""] * (len(headers) - len(r)) for r in t.rows]

    def fitted(columns: list[int]) -> tuple[list[int], int]:
        widths, floors = [], []
        for i in columns:
            cells = [headers[i]] + [r[i] for r in rows]
            widths.append(max([display_width(headers[i])] + [min(display_width(c), max_width) for c in cells[1:]]))
            # text wraps at spaces (down to its longest word); right-aligned figures ("72.55 GiB") never wrap
            floors.append(max([min(max(12, width // 5), max([display_width(w) for w in c.split()] + [1]))
                               for c in cells] + ([display_width(c) for c in cells[1:]] if t.align[i] == "r" or i in t.nowrap else [])))
        widths = shrink_widths(widths, [min(f, w) for f, w in zip(floors, widths)], width)
        return widths, sum(widths) + 2 * (len(widths) - 1)

    columns = list(range(len(headers)))
    widths, total = fitted(columns)
    order = list(t.drop_order) or list(range(len(headers) - 2, 0, -1))
    dropped = []
    while total > width and order and len(columns) > 2:
        column = order.pop(0)
        if column in columns:
            columns.remove(column)
            dropped.append(column)
            widths, total = fitted(columns)
    if dropped:
        headers = [headers[i] for i in columns]
        rows = [[r[i] for i in columns] for r in rows]
    align = [t.align[i] for i in columns]
    cols = len(headers)
    lines = []

    def emit(cells: list[str], cls: str = "") -> None:
        wrapped = [[piece for part in wrap_text(c, widths[i]).split("\n") for piece in fit_line(part, widths[i], 0)]
                   if display_width(c) > widths[i] else [c] for i, c in enumerate(cells)]
        height = max(len(w) for w in wrapped)
        for k in range(height):
            parts = [_pad(w[k] if k < len(w) else "", widths[i], align[i] == "r") for i, w in enumerate(wrapped)]
            text = "  ".join(parts).rstrip()
            if color and cls == "bad":
                text = f"\x1b[31m{text}\x1b[0m"
            elif color and cls == "current":
                text = f"\x1b[1m{text}\x1b[0m"
            lines.append(text)

    if not key_value:
        emit(headers)
        lines.append("  ".join("-" * w for w in widths))
    for r, cls in zip(rows, t.classes):
        emit(r + [""] * (cols - len(r)), cls)
    if dropped:
        note = (gettext or str)(N_("Left out to fit {width} columns (see the other formats):")).format(width=width)
        names = ", ".join(t.headers[i] for i in sorted(dropped))
        lines.append(wrap_text(note + " " + names, width))
    return "\n".join(lines)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")


def md_escape(text: str) -> str:
    """Text for GitHub-flavoured Markdown: markup characters escaped, HTML neutralised, control
    characters made visible and @mentions broken (escape.markdown_text)."""
    text = markdown_text(str(text)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("\n", "<br>")


def md_code(text: str) -> str:
    """An inline code span that survives backticks and table pipes in its text."""
    text = visible(str(text).replace("\n", " "))
    run = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (run + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text.replace('|', '&#124;')}{pad}{fence}" if text else ""


def md_fence(text: str) -> str:
    run = max((len(m) for m in re.findall(r"`{3,}", text)), default=2)
    return "`" * (run + 1)


HEADER_WITH_UNIT = N_("{name} ({unit})")


def md_table(t: Table, gettext=str) -> str:
    """A Markdown table; columns with a unit (Table.units) say it in their header."""
    key_value = all(not h for h in t.headers)
    headers = t.headers if not key_value else ["", ""]
    if t.units:
        headers = [gettext(HEADER_WITH_UNIT).format(name=h, unit=u) if u else h for h, u in zip(headers, t.units)]
    lines = ["| " + " | ".join(md_escape(h) for h in headers) + " |",
             "|" + "|".join("---:" if a == "r" else "---" for a in t.align) + "|"]
    for row, cls in zip(t.rows, t.classes):
        cells = []
        for i, c in enumerate(row):
            cell = md_code(c) if i in t.code_columns and c.strip() else md_escape(c)
            if cls in ("current", "total") and cell and i == 0:
                cell = f"**{cell}**"
            cells.append(cell)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# ------------------------------------------------------------------------- code

def _lexer():
    if CapplanLexer is not None:
        return CapplanLexer()
    from pygments.lexers.special import TextLexer
    return TextLexer()


def highlight_html(text: str, anchor: str) -> Markup:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter

    formatter = HtmlFormatter(cssclass="highlight", linenos="inline", lineanchors=anchor, wrapcode=True)
    return Markup(highlight(text, _lexer(), formatter))


def highlight_terminal(text: str) -> str:
    from pygments import highlight
    from pygments.formatters import TerminalFormatter

    return highlight(text, _lexer(), TerminalFormatter(linenos=True))


@functools.lru_cache(maxsize=None)
def pygments_css(medium: str) -> str:
    from pygments.formatters import HtmlFormatter

    light = HtmlFormatter(style="friendly").get_style_defs(".highlight")
    light = re.sub(r"^\.highlight \{ background: [^;]+; \}\n?", "", light, flags=re.M)
    if medium != "screen":
        return light
    dark = HtmlFormatter(style="github-dark").get_style_defs(".highlight")
    dark = re.sub(r"^\.highlight \{ background: [^;]+; \}\n?", "", dark, flags=re.M)
    dark = re.sub(r"^pre \{[^}]*\}\n?", "", dark, flags=re.M)
    light = re.sub(r"^pre \{[^}]*\}\n?", "", light, flags=re.M)
    return light + "\n@media (prefers-color-scheme: dark) {\n" + dark + "\n}\n"


@functools.lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return (templates_dir() / name).read_text(encoding="utf-8")


def css_string(text: str) -> str:
    """A CSS string literal: quotes, backslashes and line breaks escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


# ------------------------------------------------------------------------- entry points

def _all_charts(report: Report) -> list:
    charts = []
    for plan in report.plans:
        time_charts = [plan.time.chart, plan.time.roofline] if plan.time else []
        charts += [plan.memory_chart] + [c for c in time_charts if c] + plan.curves
    charts += [s.pareto_chart for s in report.searches if s.pareto_chart]
    charts += [g.chart for g in report.goals if g.chart]
    return charts


def _draw_charts(report: Report, medium: str) -> None:
    """Each chart's SVG in the medium's colours, and its legend (the page draws it beside the SVG)."""
    for chart in _all_charts(report):
        chart.svg = Markup(charts.themed(charts.draw(chart), medium))
        chart.legend = charts.legend(chart)


def render_html(report: Report, medium: str = "screen", paper: str = "A4") -> str:
    env = environment(report.lang)
    t = translations(report.lang)
    css = _asset("report.css") + "\n" + pygments_css(medium)
    if medium == "pdf":
        css += "\n" + _asset("report-pdf.css")
        css += "\n@page { size: %s; }\n" % PAPERS.get(paper.lower(), "A4")
        css += "@page main { @bottom-right { content: %s counter(page) %s counter(pages) %s; } }\n" % tuple(
            css_string(s) for s in _page_words(t))
    sources = [(s, highlight_html(s.text, s.anchor)) for s in report.sources]
    template = env.get_template("report.html.j2")
    _draw_charts(report, "screen" if medium == "screen" else "print")
    return template.render(
        r=report, medium=medium, css=Markup(css), html_lang=HTML_LANG[report.lang], sources=sources)


def _page_words(t) -> tuple[str, str, str]:
    # TRANSLATORS: the page footer reads "{before}3{middle}12{after}", e.g. "page 3 of 12"
    text = t.gettext("page {page} of {pages}")
    before, rest = text.split("{page}", 1)
    middle, after = rest.split("{pages}", 1)
    return before, middle, after


MARKDOWN_LIMIT = 65_536   # characters of a GitHub issue or pull-request comment body, at most


def render_markdown(report: Report) -> str:
    env = environment(report.lang)
    sources = [(s, md_fence(s.text)) for s in report.sources]
    # the template adds no control characters; the spec sources it quotes may hold any
    return visible(env.get_template("report.md.j2").render(r=report, sources=sources))


def _leave_out_appendix(report: Report) -> None:
    report.appendix = False
    report.sources = []          # nothing to highlight, and no "(source)" link pointing into it
    for view in (*report.plans, *report.searches, *report.goals):
        view.source_anchor = None


def markdown_within_limit(report: Report, limit: int = MARKDOWN_LIMIT) -> str:
    """The Markdown report in at most `limit` characters, so that it can be posted as a comment: the
    appendix is left out first; then whole sections from the end (cut before a `### ` heading, or a
    line where one section alone is too long), with a note saying what was left out and how to see it."""
    text = render_markdown(report)
    if len(text) <= limit:
        return text
    if report.appendix:
        _leave_out_appendix(report)
        text = render_markdown(report)
        if len(text) <= limit:
            return text
    gettext = translations(report.lang).gettext
    note = "\n\n> ⚠️ " + gettext(N_("Truncated to fit a {limit:,}-character comment: {left:,} of {total:,} "
                                      "characters left out. The whole report: `capplan report --format html` "
                                      "(or `--format md -o FILE`)."))
    room = limit - len(note.format(limit=limit, left=len(text), total=len(text))) - 8   # "\n```" to close a fence
    cut = text.rfind("\n### ", 0, room)
    if cut <= 0:
        cut = text.rfind("\n", 0, room)
    kept = text[:max(cut, 0)]
    if kept.count("\n```") % 2:         # cut inside a fenced block: close it
        kept += "\n```"
    return kept + note.format(limit=limit, left=len(text) - len(kept), total=len(text)) + "\n"


def _texttable_filter(ctx, t: Table, color: bool = False, max_width: int = 60) -> str:
    """`texttable` in templates: text_table at the template's `columns` (render_text's width)."""
    return text_table(t, color, max_width, ctx.get("columns", DEFAULT_WIDTH), translations(ctx["r"].lang).gettext)


def render_text(report: Report, color: bool = False, width: int = DEFAULT_WIDTH) -> str:
    """The terminal text report, every line at most `width` columns wide (capplan.render.fit)."""
    env = environment(report.lang)
    sources = [(s, highlight_terminal(s.text) if color else _numbered(s.text)) for s in report.sources]
    text = env.get_template("report.txt.j2").render(r=report, color=color, sources=sources, columns=width)
    return fit_lines(text, width)


def _numbered(text: str) -> str:
    lines = text.splitlines()
    width = len(str(len(lines)))
    return "\n".join(f"{i:>{width}}  {line}".rstrip() for i, line in enumerate(lines, 1)) + "\n"


APPENDIX_DEFAULT = {"html": True, "pdf": False, "md": True, "txt": True}   # HTML folds it away; PDF stays short


def render_report(comp, fmt: str, lang: str = "en", paper: str = "A4", *, commit: str | None = None,
                  color: bool = False, appendix: bool | None = None, width: int = DEFAULT_WIDTH) -> bytes | str:
    """The report of a compilation in `fmt` (html, pdf, md, txt): str, or bytes for pdf.

    `lang` is "en" or "zh"; `paper` "A4" or "letter" (PDF only); `commit` (optional) is shown in
    the PDF's running header and the HTML's header; `color` adds ANSI colours to txt and `width` is
    its line width in columns (the CLI passes capplan.render.fit.terminal_width); `appendix`
    includes the assumptions, every figure's provenance and the source specs (None: the format's
    default, APPENDIX_DEFAULT: on except for PDF).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; formats: {', '.join(FORMATS)}")
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; languages: {', '.join(LANGUAGES)}")
    if paper.lower() not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}; papers: A4, letter")
    appendix = APPENDIX_DEFAULT[fmt] if appendix is None else bool(appendix)
    # HTML and PDF show the memory curves in the appendix only; Markdown and text always
    report = build_report(comp, lang, commit, curves=appendix or fmt in ("md", "txt"))
    report.appendix = appendix
    if not report.appendix:
        _leave_out_appendix(report)
    if fmt == "html":
        return render_html(report, "screen")
    if fmt == "md":
        return markdown_within_limit(report)
    if fmt == "txt":
        return render_text(report, color, width)
    return html_to_pdf(render_html(report, "pdf", paper))
