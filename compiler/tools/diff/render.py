"""`capplan diff` as terminal text and as a Markdown pull-request comment (templates/diff.md.j2).

Both render the structure of `compiler/diff.py`; nothing is computed here. The Markdown
form starts with a hidden marker (`MARKER`) by which a CI job finds its own comment and
updates it instead of adding one per push. Spec text is untrusted (it arrives in pull
requests): every value taken from a spec is escaped for Markdown and HTML.
"""

from __future__ import annotations

from capplan.tools.diff.semantic import show_change

MARKER = "<!-- capplan-diff -->"
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]()#+!~{}"} |
                            {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "@": "&#64;",
                             "\n": " ", "\r": " "})


def md(text) -> str:
    """Spec-derived text made inert in GitHub Markdown (no markup, HTML, table breaks or mentions)."""
    return str(text).translate(_MD_SPECIAL)


def code(text) -> str:
    """Spec-derived text as an inline code span: no backticks to close it, no `|` to end a table cell."""
    return "`" + str(text).replace("`", "'").replace("|", "\\|").replace("\n", " ").replace("\r", " ") + "`"


def _fit(value) -> str:
    return "-" if value is None else "fits" if value else "DOES NOT FIT"


def _status(value) -> str:
    return "-" if value is None else value


def _figure_line(row: dict) -> str:
    change = show_change(row["change"], row["unit"])
    if row["before"] is None:
        return f"{row['label']}: {row['shown_after']}"
    if row["after"] is None:
        return f"{row['label']}: {row['shown_before']} (removed)"
    return f"{row['label']}: {row['shown_before']} -> {row['shown_after']}" + (f" ({change})" if change else "")


def render_text(d: dict) -> str:
    lines = []
    for f in d["files"]:
        if f["status"] in ("added", "deleted"):
            lines.append(f"file {f['status']}: {f['path']}")
    unchanged = []
    for p in d["plans"]:
        where = f"{p['file']}:{p['line']}"
        if p["status"] == "unchanged":
            unchanged.append(p["name"])
            continue
        if p["status"] == "renamed":
            old = p["renamed_from"]
            moved = f" (from {old['file']})" if old["file"] != p["file"] else ""
            lines.append(f"renamed: {p['kind']} {old['name']} -> {p['name']}{moved} ({where}): identical plan")
            continue
        fits = p["fits"]
        if p["status"] == "changed":
            verdict = _fit(fits["after"]) if fits["before"] == fits["after"] else \
                f"{_fit(fits['before'])} -> {_fit(fits['after'])}"
            lines.append(f"{p['kind']} {p['name']} ({where}): {verdict}")
        else:
            lines.append(f"{p['status']}: {p['kind']} {p['name']} ({where}): "
                         f"{p['verdict']['after'] or p['verdict']['before']}")
        if p["inputs"] and p["status"] == "changed":
            lines.append("  inputs:")
            for i in p["inputs"]:
                lines.append(f"    {i['field']}: {i['before'] or '(unset)'} -> {i['after'] or '(unset)'}")
        for r in p["requirements"]:
            if p["status"] == "changed":
                was = f" (was `{r['before_text']}`)" if r.get("before_text") else ""
                lines.append(f"  require {r['text']}{was}: {_status(r['before'])} -> {_status(r['after'])}")
            else:
                lines.append(f"  require {r['text']}: {_status(r['after'] or r['before'])}")
        for row in p["outputs"]:
            lines.append("  " + _figure_line(row))
        for rank in p["ranks"]:
            lines.append(f"  {rank['rank']}:")
            for row in rank["figures"]:
                lines.append("    " + _figure_line(row))
        if p["hidden"]:
            lines.append(f"  ({p['hidden']} change{'s' if p['hidden'] != 1 else ''} under the noise threshold "
                         "not shown)")
    if unchanged:
        lines.append(f"unchanged: {len(unchanged)} plan{'s' if len(unchanged) != 1 else ''} ({', '.join(unchanged)})")
    if not any(p["status"] != "unchanged" for p in d["plans"]) and not any(
            f["status"] in ("added", "deleted") for f in d["files"]):
        lines.insert(0, "no change")
    for failure in d["failures"]:
        lines.append(f"FAIL ({failure['policy']}): {failure['message']}")
    return "\n".join(lines) + "\n"


def render_markdown(d: dict) -> str:
    """The PR-comment form, rendered with the report templates' Jinja2 environment."""
    from importlib import resources

    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    folder = str(resources.files("capplan.templates"))
    env = Environment(loader=FileSystemLoader(folder), autoescape=False, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(md=md, code=code, change=lambda row: show_change(row["change"], row["unit"]), fit=_fit)
    return env.get_template("diff.md.j2").render(d=d, marker=MARKER)
