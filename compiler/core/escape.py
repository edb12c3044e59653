"""Escaping at the output boundaries: GitHub workflow commands, Markdown, terminals, JSON.

Spec files are untrusted, and their strings, comments and names reach CI logs, pull-request
comments and terminals. Each boundary gets the escaping its reader needs:

- GitHub workflow commands (`check --format github`): data and properties escaped exactly as
  GitHub's toolkit does (@actions/core, command.ts: `%` `\\r` `\\n` in data, plus `:` and `,`
  in properties), so a message can never end the command or start another (`::add-mask::`).
- Markdown (reports, PR comments): control characters shown as symbols, `@mentions` broken
  with a word joiner so nobody is pinged (HTML and markup are escaped by report/render.py).
- Terminals: control characters in user text shown as symbols (U+2400 "control pictures"),
  so an ESC in a spec cannot clear the screen, set the title or fake a hyperlink; with
  colour on, only capplan's own colour codes survive.
- JSON: no NaN or Infinity; a non-finite figure becomes `null` and an E0801 diagnostic.
"""

from __future__ import annotations

import math
import re

from capplan.core.source import Span

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides and
# isolates that make text display in another order than it reads ("Trojan source").
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]")
_OUR_COLOURS = re.compile(r"\x1b\[(?:0|1|31|32|33|1;31|1;32|1;33|1;34|2)m")
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")


def _picture(match: re.Match) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)   # ␛ for ESC, ␀ for NUL: one column wide, like the original
    if code == 0x7f:
        return "\u2421"             # ␡
    return "\ufffd"


def visible(text: str) -> str:
    """Control characters (other than tab and newline) replaced by visible one-column symbols."""
    return _CONTROLS.sub(_picture, text)


def terminal(text: str, color: bool = False) -> str:
    """Text for a terminal. With `color`, capplan's own SGR colour codes are kept, nothing else."""
    if not color:
        return visible(text)
    out, last = [], 0
    for m in _OUR_COLOURS.finditer(text):
        out.append(visible(text[last:m.start()]))
        out.append(m.group())
        last = m.end()
    out.append(visible(text[last:]))
    return "".join(out)


def markdown_text(text: str) -> str:
    """Markdown prose: control characters visible, @mentions that cannot ping anyone."""
    return _MENTION.sub("@\u2060", visible(text))


def github_data(text: str) -> str:
    """The message of a workflow command (GitHub's escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A property value of a workflow command (GitHub's escapeProperty)."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(command: str, properties: dict[str, object], message: str) -> str:
    """`::command key=value,...::message`, every part escaped."""
    props = ",".join(f"{k}={github_property(str(v))}" for k, v in properties.items() if v is not None)
    return f"::{command}{' ' + props if props else ''}::{github_data(message)}"


def non_finite_paths(value, path: str = "") -> list[str]:
    """JSON paths of the NaN and infinite floats in a document (lists and dicts)."""
    found: list[str] = []
    stack = [(path, value)]
    while stack:
        where, v = stack.pop()
        if isinstance(v, float) and not math.isfinite(v):
            found.append(where or "$")
        elif isinstance(v, dict):
            stack.extend((f"{where}.{k}" if where else str(k), x) for k, x in v.items())
        elif isinstance(v, (list, tuple)):
            stack.extend((f"{where}[{i}]", x) for i, x in enumerate(v))
    return sorted(found)


def _nulled(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _nulled(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_nulled(v) for v in value]
    return value


def screen_non_finite(comp, null: bool = True) -> None:
    """An E0801 diagnostic for each result with a non-finite figure; with `null`, the figure becomes None.

    Text output keeps the figures (it prints `inf`); JSON output, which cannot, nulls them.
    Inputs are bounded (E0801 on literals and arithmetic), but a chain of engine formulas on
    bounded inputs can still overflow a float; JSON has no spelling for the result.
    """
    for group in (comp.plans, comp.models, comp.searches, comp.goals):
        for i, item in enumerate(group):
            bad = non_finite_paths(item)
            if not bad:
                continue
            if null:
                group[i] = _nulled(item)
            span = Span(item["file"], item["line"], 1, item["line"], 1) if "file" in item and "line" in item \
                else None
            shown = ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
            comp.diagnostics.error("E0801", f"`{item.get('name', '?')}`: a result is out of range", span,
                                   notes=(f"not finite: {shown}",),
                                   hint="the inputs are too large for a float result; check their magnitudes")
