"""The capplan language server: diagnostics, hover and completion for `.plan` files.

Speaks the Language Server Protocol over stdio (pygls). Start it with
`capplan lsp` or `python -m capplan.tools.lsp`, and point an editor's LSP client
at that command for `*.plan` files (editors/README.md).

* Diagnostics, on open, change and save: the open buffer is compiled in
  memory, as `capplan check` would compile the saved file: the loader is
  given a `read` function that serves every open document's text and falls
  back to the disk, so imports of open (unsaved) files see their buffers too.
  The catalog is parsed once per process (the loader memoises it) and the
  unit table is memoised, so a compile per keystroke costs a few tens of
  milliseconds for a 200-line spec. Changes are coalesced: a burst of
  `didChange` notifications compiles once, for the newest text.
* Hover: a declaration's name or a reference to it (a model's exact
  parameter count; a plan's verdict and peak memory per GPU; a GPU's memory
  and bandwidth; ...), a field name (its doc, type, unit, default and
  choices, from schema.py), a quantity (its value in canonical units), a
  constant (its value), a declaration kind, and a `require` result name.
* Completion: after `model =`, `gpu =`, `cluster =`, `precision =` (any
  field naming a declaration, and after `from` in a header) the declarations
  and catalog entries of that kind; the fields of the enclosing block's
  schema at the start of an entry; the choices of an enum field, formats,
  `true`/`false`; the fields of a declaration after `name.`; kinds and
  keywords at the top level; result names in `require`.
* Go to definition of a referenced declaration or constant.

Everything runs on the server's event loop: the compiler is not thread-safe
(the parser shares one Lark instance), and a compile is cheap enough.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import from_fs_path, to_fs_path
from pygments.token import Comment, Keyword, Name, Number, Punctuation, String, Whitespace

from capplan import __version__
from capplan.lang import ast
from capplan.core.diagnostics import Diagnostic, Diagnostics
from capplan.lang.highlight import CapplanLexer
from capplan.check.loader import _catalog_files, _read_file, display_path, is_catalog
from capplan.pipeline import Compilation, compile_files
from capplan.check.schema import (BLOCK, BOOL, COUNT, COUNTS, ENUM, FORMAT, FORMAT_OPTIONS, FORMATS, FRACTION,
    KINDS, NUMBER, QUANTITY, RATE, REF, RESULTS, STRING, BlockSchema, Field)
from capplan.check.units import UnitError, describe, dims_of, table
from capplan.check.values import Bool, Format, Num, Obj, Str, fmt_number, fmt_quantity

log = logging.getLogger(__name__)

SOURCE = "capplan"
CHANGE_DEBOUNCE_S = 0.05  # a burst of keystrokes compiles once

class AnsweringProtocol(LanguageServerProtocol):
    """pygls's protocol, except that a request whose params do not validate gets an error response.

    pygls drops such a request (a negative position, params of the wrong shape) after logging it,
    and the editor waits for an answer forever. Here it is answered with InvalidParams (-32602).
    """

    def structure_message(self, data):
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            ident = data.get("id") if isinstance(data, dict) else None
            if isinstance(ident, (int, str)) and not isinstance(ident, bool) and "method" in data:
                code = exc.CODE if isinstance(exc, JsonRpcInvalidParams) else JsonRpcInvalidParams.CODE
                self._send_response(ident, error=lsp.ResponseError(
                    code=code, message=f"invalid params for {str(data.get('method'))[:80]}"))
            return data  # unstructured: pygls logs it and moves on to the next message


server = LanguageServer("capplan", __version__, protocol_cls=AnsweringProtocol,
                        text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)

INFO = dims_of("information")
PARAMS = dims_of("parameter")
TOKENS = dims_of("token")
_CANONICAL = {"information": "B", "time": "s", "compute": "FLOP", "token": "token",
              "parameter": "param", "gpu": "GPU", "request": "request", "currency": "USD",
              "energy": "J", "node": "node"}
_LEXER = CapplanLexer(stripnl=False, ensurenl=False)
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# ================================================================ state

@dataclass
class Analysis:
    """One compilation of one open document."""

    uri: str
    version: int | None
    path: str                       # the real path the document was compiled as
    text: str
    comp: Compilation
    parsed: bool                    # the document itself parsed: its declarations are in comp
    reads: dict[str, str] = field(default_factory=dict)   # display path -> real path, user files
    published: set[str] = field(default_factory=set)      # URIs this compilation published to
    internal: str | None = None     # an internal error while evaluating (the plans are missing)


class _State:
    def __init__(self) -> None:
        self.latest: dict[str, Analysis] = {}
        self.good: dict[str, Analysis] = {}      # the newest analysis in which the document parsed
        self.pending: dict[str, int] = {}        # uri -> change counter, to coalesce bursts
        self.counter = 0


STATE = _State()


def _doc_path(doc) -> str:
    """The real path a document is compiled as (an unsaved `untitled:` buffer gets one in the cwd)."""
    path = getattr(doc, "path", None) or to_fs_path(doc.uri)
    if not path or not doc.uri.startswith("file:"):
        stem = re.sub(r"[^A-Za-z0-9_.-]", "_", doc.uri.split(":", 1)[-1]) or "untitled"
        path = os.path.join(os.getcwd(), stem if stem.endswith(".plan") else stem + ".plan")
    return str(Path(path).resolve())


def _open_texts(ls: LanguageServer) -> dict[str, tuple[str, str]]:
    """real path -> (uri, text) of every open document."""
    out = {}
    for doc in list(ls.workspace.text_documents.values()):
        out[_doc_path(doc)] = (doc.uri, doc.source)
    return out


def analyse(ls: LanguageServer, uri: str) -> Analysis:
    """Compile one open document (its buffer, not the file on disk) and remember the result."""
    doc = ls.workspace.get_text_document(uri)
    path = _doc_path(doc)
    texts = _open_texts(ls)
    text = doc.source
    texts[path] = (uri, text)
    reads: dict[str, str] = {}

    def read(real: str) -> str:
        reads[display_path(Path(real))] = real
        if real in texts:
            return texts[real][1]
        return _read_file(real)

    internal = None
    try:
        comp = compile_files([path], read=read)
    except Exception as exc:  # a bug of ours in evaluation: still show what checking finds
        log.exception("capplan: internal error evaluating %s", uri)
        internal = f"{exc.__class__.__name__}: {exc}"
        reads.clear()
        comp = compile_files([path], read=read, evaluate=False)
    shown = display_path(Path(path))
    parsed = any(f.path == shown for f in comp.program.files)
    analysis = Analysis(uri, doc.version, path, text, comp, parsed, reads, internal=internal)
    STATE.latest[uri] = analysis
    if parsed:
        STATE.good[uri] = analysis
    return analysis


# ========================================================== diagnostics

def _line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    return starts


def _client_units(ls: LanguageServer, chars: str) -> int:
    encoding = ls.workspace.position_encoding or lsp.PositionEncodingKind.Utf16
    if encoding == lsp.PositionEncodingKind.Utf32:
        return len(chars)
    if encoding == lsp.PositionEncodingKind.Utf8:
        return len(chars.encode("utf-8"))
    return len(chars.encode("utf-16-le")) // 2


def _position(ls: LanguageServer, lines: list[str], line: int, column: int) -> lsp.Position:
    """1-based line and code-point column -> an LSP position in the client's units."""
    row = max(0, line - 1)
    col = max(0, column - 1)
    text = lines[row] if row < len(lines) else ""
    units = _client_units(ls, text[:col]) + max(0, col - len(text))
    return lsp.Position(line=row, character=units)


def _range(ls: LanguageServer, lines: list[str], span) -> lsp.Range:
    if span is None:
        return lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0))
    start = _position(ls, lines, span.line, span.column)
    end = _position(ls, lines, span.end_line, span.end_column)
    if (end.line, end.character) < (start.line, start.character):
        end = start
    return lsp.Range(start=start, end=end)


def _catalog_real(shown: str) -> str | None:
    for real, display, _text, _tree, _problems in _catalog_files():
        if display == shown:
            return str(real) if real is not None else None
    return None


def _uri_of(analysis: Analysis, shown: str, opened: dict[str, tuple[str, str]]) -> str | None:
    """The URI of a file by its display path (the entry's own URI as the client spelled it)."""
    if is_catalog(shown):
        real = _catalog_real(shown)
    else:
        real = analysis.reads.get(shown)
    if real is None:
        return None
    if real == analysis.path:
        return analysis.uri
    if real in opened:
        return opened[real][0]
    return from_fs_path(real)


def _lines_of(analysis: Analysis, shown: str) -> list[str]:
    source = analysis.comp.program.sources.get(shown)
    return source.text.split("\n") if source is not None else []


def message_of(d: Diagnostic) -> str:
    """The compiler's message, its notes, and its hint, one per line."""
    parts = [d.message, *d.notes]
    if d.hint:
        parts.append(f"hint: {d.hint}")
    return "\n".join(parts)


def to_lsp(ls: LanguageServer, analysis: Analysis, d: Diagnostic,
           opened: dict[str, tuple[str, str]]) -> tuple[str, lsp.Diagnostic] | None:
    """(URI, LSP diagnostic) for a capplan diagnostic; None for one inside the catalog."""
    if d.span is None:
        uri, lines = analysis.uri, analysis.text.split("\n")
    else:
        if is_catalog(d.span.path):
            return None
        uri = _uri_of(analysis, d.span.path, opened)
        if uri is None:
            return None
        lines = _lines_of(analysis, d.span.path)
    related = []
    for label in d.secondary:
        where = _uri_of(analysis, label.span.path, opened)
        if where is not None:
            related.append(lsp.DiagnosticRelatedInformation(
                location=lsp.Location(uri=where, range=_range(ls, _lines_of(analysis, label.span.path),
                                                              label.span)),
                message=label.text or d.message))
    severity = lsp.DiagnosticSeverity.Warning if d.severity == "warning" else lsp.DiagnosticSeverity.Error
    return uri, lsp.Diagnostic(range=_range(ls, lines, d.span), message=message_of(d), severity=severity,
                               code=d.code, source=SOURCE, related_information=related or None)


def _internal_diagnostic(message: str) -> lsp.Diagnostic:
    origin = lsp.Position(line=0, character=0)
    return lsp.Diagnostic(range=lsp.Range(start=origin, end=origin), message=message,
                          severity=lsp.DiagnosticSeverity.Error, code="internal", source=SOURCE)


def publish(ls: LanguageServer, analysis: Analysis, previous: Analysis | None) -> None:
    opened = _open_texts(ls)
    by_uri: dict[str, list[lsp.Diagnostic]] = {analysis.uri: []}
    if analysis.internal:
        by_uri[analysis.uri].append(_internal_diagnostic(
            f"capplan internal error while evaluating the plans: {analysis.internal} (please report "
            "it); the other diagnostics come from checking alone"))
    for d in analysis.comp.diagnostics.sorted():
        converted = to_lsp(ls, analysis, d, opened)
        if converted is not None:
            by_uri.setdefault(converted[0], []).append(converted[1])
    stale = (previous.published if previous else set()) - set(by_uri)
    for uri in stale:
        if uri in STATE.latest and uri != analysis.uri:
            continue  # an open document publishes its own diagnostics
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
    for uri, items in by_uri.items():
        version = analysis.version if uri == analysis.uri else None
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=uri, diagnostics=items, version=version))
    analysis.published = set(by_uri)


def refresh(ls: LanguageServer, uri: str) -> Analysis | None:
    """Compile a document and publish its diagnostics (the callers then refresh its dependents)."""
    previous = STATE.latest.get(uri)
    try:
        analysis = analyse(ls, uri)
    except Exception as exc:  # our own bug: report it, keep serving
        log.exception("capplan: internal error compiling %s", uri)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[
            _internal_diagnostic(f"capplan internal error: {exc.__class__.__name__}: {exc} "
                                 "(please report it)")]))
        return None
    publish(ls, analysis, previous)
    return analysis


def _dependents(uri: str, path: str) -> list[str]:
    return [other for other, a in STATE.latest.items()
            if other != uri and path in a.reads.values()]


# ================================================================ lexing

@dataclass
class Tok:
    start: int
    end: int
    type: object
    text: str


def lex(text: str) -> list[Tok]:
    """Significant tokens (no blanks, no comments); a `newline` marker where a line ends."""
    out: list[Tok] = []
    for start, ttype, value in _LEXER.get_tokens_unprocessed(text):
        if ttype in Comment:
            continue
        if ttype in Whitespace or not value.strip():
            if "\n" in value:
                out.append(Tok(start, start + len(value), "newline", value))
            continue
        out.append(Tok(start, start + len(value), ttype, value))
    return out


@dataclass
class Frame:
    """One open `{ ... }` around the cursor."""

    role: str                        # decl | sub | format | unknown
    label: str                       # the kind, the sub-block's name or the format
    decl: str = ""                   # the declaration's name (decl frames)
    schema: BlockSchema | None = None
    fields: set[str] = field(default_factory=set)   # fields set in this block


@dataclass
class Context:
    frames: list[Frame]
    tokens: list[Tok]
    index: int                       # the token at or after the cursor

    @property
    def schema(self) -> BlockSchema | None:
        return self.frames[-1].schema if self.frames else None

    @property
    def decl(self) -> Frame | None:
        return self.frames[0] if self.frames else None


def context_at(text: str, offset: int, tokens: list[Tok] | None = None) -> Context:
    """The blocks that enclose `offset`, found by lexing (works on text that does not parse)."""
    tokens = lex(text) if tokens is None else tokens
    stack: list[Frame] = []
    snapshot: list[Frame] | None = None
    index = len(tokens)
    stmt: list[Tok] = []   # the tokens of the current statement
    for i, tok in enumerate(tokens):
        if snapshot is None and tok.start >= offset:
            snapshot, index = list(stack), i
        if tok.type == "newline" or tok.text == ";":
            stmt = []
            continue
        if tok.text == "{" and tok.type in Punctuation:
            stack.append(_frame(stack, stmt))
            stmt = []
            continue
        if tok.text == "}" and tok.type in Punctuation:
            if stack:
                stack.pop()
            stmt = []
            continue
        if stack and not stmt and tok.type in Name.Attribute and not tok.start <= offset <= tok.end:
            stack[-1].fields.add(tok.text)
        stmt.append(tok)
    if snapshot is None:
        snapshot = list(stack)
    return Context(snapshot, tokens, index)


def _frame(stack: list[Frame], stmt: list[Tok]) -> Frame:
    if not stack:
        kind = stmt[0].text if stmt else ""
        name = stmt[1].text if len(stmt) > 1 and stmt[1].type in Name else ""
        return Frame("decl", kind, name, KINDS.get(kind))
    parent = stack[-1].schema
    if stmt and stmt[-1].type in Name.Attribute and len(stmt) == 1:
        spec = parent.fields.get(stmt[0].text) if parent else None
        return Frame("sub", stmt[0].text, stack[0].decl, spec.block if spec and spec.type == BLOCK else None)
    if len(stmt) >= 3 and stmt[-1].type in Name and stmt[-2].text == "=":
        spec = parent.fields.get(stmt[0].text) if parent else None
        schema = FORMAT_OPTIONS if spec is not None and spec.type == FORMAT else None
        return Frame("format", stmt[-1].text, stack[0].decl, schema)
    return Frame("unknown", stmt[-1].text if stmt else "", stack[0].decl)


# ================================================================ lookup

def _scratch(checker, fn, *args):
    """Run a checker method for a hover or a completion without touching the published diagnostics."""
    saved = checker.d
    checker.d = Diagnostics()
    try:
        return fn(*args)
    except Exception:
        return None
    finally:
        checker.d = saved


def _lowered(checker, name: str) -> Obj | None:
    if name in checker.lowered:
        return checker.lowered[name]
    if name not in checker.decls:
        return None
    return _scratch(checker, checker.lower, name)


def _for_values(uri: str) -> Analysis | None:
    """The analysis to read declarations from: the newest in which the document parsed."""
    return STATE.good.get(uri) or STATE.latest.get(uri)


def _decl_label(decl: ast.Declaration) -> str | None:
    for entry in decl.body.entries:
        if isinstance(entry, ast.Assignment) and entry.name == "name" and isinstance(entry.value, ast.String):
            return entry.value.value
    return None


def _where(decl, analysis: Analysis) -> str:
    path = decl.name_span.path
    if is_catalog(path):
        return f"standard catalog, {path.split('/', 1)[1]}"
    here = display_path(Path(analysis.path))
    return f"line {decl.name_span.line}" if path == here else f"{path}:{decl.name_span.line}"


def canonical_unit(dims) -> str:
    num = [f"{_CANONICAL.get(d, d)}" + (f"^{e}" if e != 1 else "") for d, e in dims if e > 0]
    den = [f"{_CANONICAL.get(d, d)}" + (f"^{-e}" if e != -1 else "") for d, e in dims if e < 0]
    text = "*".join(num) or ("1" if den else "")
    return text + "".join("/" + d for d in den)


def fmt_canonical(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e21:
        return f"{int(value):,}"
    return f"{value:.10g}"


def _show_value(value, dims=None, unit: str | None = None) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Bool):
        return str(value.value).lower()
    if isinstance(value, Num):
        value, dims = value.value, value.dims
    if isinstance(value, (int, float)):
        if dims:
            shown = fmt_quantity(value, dims, unit) if unit else fmt_quantity(value, dims)
            canonical = fmt_canonical(value)
            if shown.split(" ")[0] == canonical:
                return shown
            return f"{shown} (= {canonical} {canonical_unit(dims)})"
        return fmt_number(value)
    if isinstance(value, (Str, str)):
        return f'"{value.value if isinstance(value, Str) else value}"'
    if isinstance(value, Format):
        return value.label
    if isinstance(value, Obj):
        return f"{value.kind} `{value.name}`"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


# ================================================================= hover

def field_doc(spec: Field, owner: str) -> str:
    """A field's documentation: doc, type, unit or choices, default."""
    lines = [f"**{spec.name}** — field of `{owner}`", "", spec.doc, ""]
    facts = _field_facts(spec)
    return "\n".join(lines + [f"- {fact}" for fact in facts]).rstrip()


def _field_facts(spec: Field) -> list[str]:
    lines: list[str] = []
    if spec.type == QUANTITY:
        units = " or ".join(describe(d) for d in spec.dims)
        lines.append(f"type: quantity — {units}" + (f"; e.g. `{spec.example}`" if spec.example else ""))
    elif spec.type == COUNT:
        lines.append("type: a whole number, no unit")
    elif spec.type == NUMBER:
        lines.append("type: a plain number, no unit")
    elif spec.type == FRACTION:
        lines.append("type: a fraction between 0 and 1 (`90 %` or `0.9`)")
    elif spec.type == BOOL:
        lines.append("type: `true` or `false`")
    elif spec.type == ENUM:
        lines.append("type: one of " + " | ".join(f"`{c}`" for c in spec.choices))
    elif spec.type == REF:
        lines.append(f"type: the name of a `{spec.ref_kind}` declaration")
    elif spec.type == STRING:
        lines.append('type: text in double quotes')
    elif spec.type == FORMAT:
        lines.append("type: a numeric format: " + " ".join(f"`{f}`" for f in FORMATS)
                     + " (options: `int4 { group = 128 }`)")
    elif spec.type == COUNTS:
        lines.append("type: a list of whole numbers, e.g. `[19, 20, 20, 21]`")
    elif spec.type == BLOCK and spec.block is not None:
        lines.append(f"a block `{spec.name} {{ ... }}`: {spec.block.doc}")
        lines.append("fields: " + ", ".join(f"`{n}`" for n in spec.block.fields))
    if spec.required:
        lines.append("required")
    elif spec.default is not None and spec.type != BLOCK:
        if spec.dims:
            shown = fmt_quantity(spec.default, spec.dims[0])
        elif isinstance(spec.default, bool):
            shown = str(spec.default).lower()
        elif spec.type == FRACTION:
            shown = f"{fmt_number(spec.default)} ({spec.default:.0%})"
        else:
            shown = str(spec.default)
        lines.append(f"default: `{shown}`")
    elif spec.type != BLOCK:
        lines.append("optional")
    return lines


def kind_doc(kind: str) -> str:
    schema = KINDS[kind]
    required = [n for n, f in schema.fields.items() if f.required]
    lines = [f"**{kind}** — {schema.doc}"]
    if required:
        lines.append("")
        lines.append("required: " + ", ".join(f"`{n}`" for n in required))
    if schema.fields:
        lines.append("fields: " + ", ".join(f"`{n}`" for n in schema.fields))
    return "\n".join(lines)


def quantity_doc(number: str, unit: str | None) -> str | None:
    try:
        x = float(number.replace("_", ""))
    except ValueError:
        return None
    if unit is None:
        return None
    try:
        info = table().lookup(unit)
    except UnitError as exc:
        return f"`{number} {unit}`: {exc}" + (f" — {exc.hint}" if exc.hint else "")
    value = x * info.factor
    if not info.dims:
        return f"`{number} {unit}` = **{fmt_canonical(value)}** (a plain number)"
    lines = [f"`{number} {unit}` = **{fmt_canonical(value)} {canonical_unit(info.dims)}**", "",
             describe(info.dims)]
    human = fmt_quantity(value, info.dims)
    if human.replace(" ", "").replace(",", "") != f"{number}{unit}".replace("_", ""):
        lines[-1] += f" — {human}"
    return "\n".join(lines)


def decl_doc(analysis: Analysis, name: str) -> str | None:
    """A declaration: its kind, display name and where; then what it amounts to."""
    checker = analysis.comp.checker
    decl = checker.decls.get(name) if checker else None
    if decl is None:
        return None
    label = _decl_label(decl)
    lines = [f"**{decl.kind}** `{name}`" + (f" — {label}" if label else ""),
             "", f"declared in {_where(decl, analysis)}"
             + (f", from `{decl.base.dotted}`" if decl.base is not None else "")]
    if decl.kind == "search":
        lines.append("")
        lines.append("a layout search: parsed and checked, not evaluated yet")
        return "\n".join(lines)
    obj = _lowered(checker, name)
    if obj is None:
        lines.append("")
        lines.append("_not evaluated: the declaration has errors_")
        return "\n".join(lines)
    extra = _decl_extra(analysis, decl.kind, obj)
    if extra:
        lines.append("")
        lines += extra
    return "\n".join(lines)


def _decl_extra(analysis: Analysis, kind: str, obj: Obj) -> list[str]:
    if kind == "model":
        return _model_lines(obj)
    if kind == "gpu":
        out = []
        if obj.get("memory"):
            out.append(f"memory: {_show_value(obj.memory, INFO, obj.get('_unit_memory'))}")
        if obj.get("memory_usable"):
            out.append(f"usable: {_show_value(obj.memory_usable, INFO, obj.get('_unit_memory_usable'))}")
        if obj.get("memory_bandwidth"):
            out.append(f"memory bandwidth: {fmt_quantity(obj.memory_bandwidth, dims_of(RATE), 'TB/s')}")
        peak = obj.fields.get("peak")
        if isinstance(peak, Obj):
            for p in ("bf16", "fp8"):
                if peak.get(p):
                    out.append(f"dense {p} peak: {fmt_quantity(peak.get(p), dims_of('compute/time'))}")
        return [f"- {line}" for line in out]
    if kind == "cluster":
        gpu = obj.fields.get("gpu")
        gpu_name = gpu.name if isinstance(gpu, Obj) else "?"
        per, nodes = obj.get("gpus_per_node"), obj.get("nodes")
        return [f"{nodes} node(s) x {per} x `{gpu_name}` = **{nodes * per} GPUs**" if per and nodes else
                f"GPU: `{gpu_name}`"]
    if kind == "precision":
        out = []
        for cls in ("weights", "gradients", "master_weights", "optimizer_states", "activations", "kv_cache"):
            value = obj.fields.get(cls)
            if value is not None:
                out.append(f"- {cls}: {value.label if isinstance(value, Format) else value}")
        return out
    if kind in ("training", "inference"):
        return _plan_lines(analysis, obj)
    return []


def _model_lines(obj: Obj) -> list[str]:
    from capplan.engine.evaluate import evaluate_model

    try:
        params = evaluate_model(obj)["params"]
    except Exception:
        return ["_parameters: not computable (the model has errors)_"]
    total = params["total"]
    if params.get("exact"):
        out = [f"parameters: **{total:,}** ({fmt_quantity(total, PARAMS)}), exact"]
        if params["active"] != total:
            out += ["", f"active per token: **{params['active']:,}** "
                        f"({fmt_quantity(params['active'], PARAMS)})"]
    else:
        out = [f"parameters: {total:,} ({fmt_quantity(total, PARAMS)}), as stated (no architecture)"]
    return out


def _plan(analysis: Analysis, name: str) -> dict | None:
    for plan in analysis.comp.plans:
        if plan["name"] == name:
            return plan
    return None


def _plan_lines(analysis: Analysis, obj: Obj) -> list[str]:
    model = obj.fields.get("model")
    plan = _plan(analysis, obj.name)
    if plan is None:
        return ["_not evaluated: the plan has errors_"]
    unit = plan["hardware"].get("memory_unit", "GiB")
    out = [f"**{plan['verdict']}**", ""]
    if isinstance(model, Obj):
        out.append(f"- model: `{model.name}`")
    out.append(f"- peak memory per GPU: **{fmt_quantity(plan['peak_bytes'], INFO, unit)}** "
               f"({plan['peak_bytes']:,.0f} B) on {plan['hardware']['gpus']} x `{plan['hardware']['gpu']}`")
    out.append(f"- headroom: {plan['headroom']:.1%}")
    for req in plan.get("requirements", []):
        out.append(f"- require `{req['text']}`: {'holds' if req['ok'] else '**fails**'}")
    return out


def result_doc(analysis: Analysis | None, kind: str, plan_name: str, name: str) -> str | None:
    results = RESULTS.get(kind, {})
    if name not in results:
        return None
    dims, doc = results[name]
    article = "an" if kind[:1] in "aeiou" else "a"
    lines = [f"**{name}** — result of {article} {kind} plan", "", doc]
    plan = _plan(analysis, plan_name) if analysis else None
    if plan is not None:
        value = _result_value(plan, name)
        if value is not None:
            lines += ["", f"this plan: **{value}**"]
    return "\n".join(lines)


def _result_value(plan: dict, name: str) -> str | None:
    unit = plan["hardware"].get("memory_unit", "GiB")
    if name == "fits":
        return str(plan["fits"]).lower()
    if name == "peak_memory":
        return fmt_quantity(plan["peak_bytes"], INFO, unit)
    if name == "headroom":
        return f"{plan['headroom']:.1%}"
    if name in ("params", "active_params"):
        n = plan["model"]["params"]["total" if name == "params" else "active"]
        return f"{n:,} ({fmt_quantity(n, PARAMS)})"
    if name == "gpus":
        return str(plan["hardware"]["gpus"])
    if name == "kv_cache":
        return fmt_quantity(plan["memory"]["kv_cache"], INFO, unit)
    if name == "max_batch":
        return str(plan["max_batch"])
    if name == "max_context":
        return fmt_quantity(plan["max_context"], TOKENS)
    return None


def const_doc(analysis: Analysis, name: str) -> str | None:
    checker = analysis.comp.checker
    const = checker.consts.get(name) if checker else None
    if const is None:
        return None
    value = checker.const_memo.get(name)
    if value is None:
        value = _scratch(checker, checker._const, name)
    lines = [f"**const** `{name}`", "", f"declared in {_where(const, analysis)}"]
    if value is not None:
        lines += ["", f"value: **{_show_value(value)}**"]
    return "\n".join(lines)


def member_doc(analysis: Analysis, parts: list[str]) -> str | None:
    """`h100_sxm.memory`, `lab.gpu.memory_bandwidth`: the field's value and its doc."""
    checker = analysis.comp.checker
    if checker is None or parts[0] not in checker.decls:
        return None
    obj = _lowered(checker, parts[0])
    schema = KINDS.get(checker.decls[parts[0]].kind)
    spec = None
    for part in parts[1:]:
        if not isinstance(obj, Obj) or schema is None:
            return None
        spec = schema.fields.get(part)
        if spec is None:
            return None
        value = obj.fields.get(part)
        if spec.type == REF and isinstance(value, Obj):
            obj, schema = value, KINDS.get(value.kind)
        elif spec.type == BLOCK:
            obj, schema = value, spec.block
        else:
            obj, schema = value, None
    if spec is None:
        return None
    lines = [f"`{'.'.join(parts)}`"]
    if obj is not None and not isinstance(obj, Obj):
        dims = spec.dims[0] if spec.dims else ()
        lines[0] += f" = **{_show_value(obj, dims)}**"
    elif isinstance(obj, Obj):
        lines[0] += f" = {_show_value(obj)}"
    else:
        lines[0] += " is not set"
    lines += ["", field_doc(spec, parts[-2])]
    return "\n".join(lines)


def _token_at(tokens: list[Tok], offset: int) -> int | None:
    for i, tok in enumerate(tokens):
        if tok.type == "newline":
            continue
        if tok.start <= offset < tok.end:
            return i
    for i, tok in enumerate(tokens):  # at the end of a word
        if tok.end == offset and tok.type != "newline" and _NAME_RE.fullmatch(tok.text):
            return i
    return None


def _dotted(tokens: list[Tok], i: int) -> list[str]:
    """The dotted reference ending at token i: [`lab`, `gpu`, `memory`]."""
    parts = [tokens[i].text]
    j = i
    while j >= 2 and tokens[j - 1].text == "." and tokens[j - 2].type in Name:
        parts.insert(0, tokens[j - 2].text)
        j -= 2
    return parts


def _stmt_start(tokens: list[Tok], i: int) -> int:
    j = i
    while j > 0 and tokens[j - 1].type != "newline" and tokens[j - 1].text not in (";", "{", "}"):
        j -= 1
    return j


def hover_markdown(uri: str, text: str, offset: int) -> str | None:
    """The hover text at `offset` of `text` (the document), or None."""
    tokens = lex(text)
    i = _token_at(tokens, offset)
    if i is None:
        return None
    tok = tokens[i]
    if tok.type in String:
        return None
    ctx = context_at(text, tok.start, tokens)
    analysis = _for_values(uri)
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    prev = tokens[i - 1] if i > 0 else None

    # a quantity: the number and the unit written after it
    if tok.type in Number or tok.type in Keyword.Type:
        if tok.type in Number:
            number, unit = tok.text, nxt.text if nxt is not None and nxt.type in Keyword.Type else None
        else:
            number, unit = (prev.text if prev is not None and prev.type in Number else "1"), tok.text
        return quantity_doc(number, unit)
    if tok.type in Keyword.Declaration and tok.text in KINDS and not ctx.frames:
        return kind_doc(tok.text)
    if tok.type in Name.Attribute:
        if prev is not None and prev.text == "." and analysis is not None:
            return member_doc(analysis, _dotted(tokens, i))
        schema = ctx.schema
        if schema is not None and tok.text in schema.fields:
            return field_doc(schema.fields[tok.text], ctx.frames[-1].label)
        return None
    if not (tok.type in Name) or analysis is None:
        return None
    name = tok.text
    # a result name inside `require`
    start = _stmt_start(tokens, i)
    if ctx.decl is not None and tokens[start].text == "require" and name not in (
            analysis.comp.checker.consts if analysis.comp.checker else {}):
        doc = result_doc(analysis, ctx.decl.label, ctx.decl.decl, name)
        if doc is not None:
            return doc
    if analysis.comp.checker is not None:
        if name in analysis.comp.checker.consts:
            return const_doc(analysis, name)
        if name in analysis.comp.checker.decls:
            return decl_doc(analysis, name)
    # an enum choice or a format: the field's documentation
    if ctx.schema is not None and tokens[start].type in Name.Attribute:
        spec = ctx.schema.fields.get(tokens[start].text)
        if spec is not None and spec.type in (ENUM, FORMAT):
            return f"`{name}`: a value of `{spec.name}`\n\n" + field_doc(spec, ctx.frames[-1].label)
    return None


# ============================================================ completion

_KEYWORD_ITEMS = ("import", "const")


def _decls_of_kind(uri: str, text: str, kind: str | None) -> dict[str, tuple[str, str]]:
    """name -> (detail, sort group) of the declarations in scope (of one kind, or all).

    From the newest compilation (the catalog; this file and its imports when it parsed), the
    newest one in which this file parsed (its imports, while the buffer does not parse), and
    a scan of the buffer itself (declarations being typed).
    """
    out: dict[str, tuple[str, str]] = {}
    latest, good = STATE.latest.get(uri), STATE.good.get(uri)
    for analysis in (latest, good):
        if analysis is None or analysis.comp.checker is None:
            continue
        here = display_path(Path(analysis.path))
        for name, decl in analysis.comp.checker.decls.items():
            if kind is not None and decl.kind != kind:
                continue
            path = decl.name_span.path
            if path == here:
                if analysis is not latest:
                    continue  # an older parse of this buffer: the scan below is current
                group, where = "0", "this file"
            elif is_catalog(path):
                group, where = "2", "catalog"
            else:
                group, where = "1", path
            label = _decl_label(decl)
            out.setdefault(name, (f"{decl.kind} — {label}" if label else f"{decl.kind} ({where})", group))
    for m in re.finditer(rf"(?m)^[ \t]*({'|'.join(KINDS)})[ \t]+([A-Za-z_][A-Za-z0-9_]*)", text):
        if (kind is None or m.group(1) == kind) and m.group(2) not in out:
            out[m.group(2)] = (f"{m.group(1)} (this file)", "0")
    return out


def _consts(uri: str, text: str) -> list[str]:
    names = set(re.findall(r"(?m)^[ \t]*const[ \t]+([A-Za-z_][A-Za-z0-9_]*)", text))
    analysis = STATE.latest.get(uri)
    if analysis is not None and analysis.comp.checker is not None:
        names |= set(analysis.comp.checker.consts)
    return sorted(names)


def _item(label: str, kind: lsp.CompletionItemKind, detail: str | None = None, doc: str | None = None,
          sort: str = "1", insert: str | None = None, snippet: bool = False) -> lsp.CompletionItem:
    return lsp.CompletionItem(
        label=label, kind=kind, detail=detail, sort_text=f"{sort}{label}",
        documentation=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=doc) if doc else None,
        insert_text=insert,
        insert_text_format=lsp.InsertTextFormat.Snippet if snippet else None)


def _ref_items(uri: str, text: str, kind: str) -> list[lsp.CompletionItem]:
    return [_item(name, lsp.CompletionItemKind.Reference if group != "2" else lsp.CompletionItemKind.Class,
                  detail, sort=group)
            for name, (detail, group) in sorted(_decls_of_kind(uri, text, kind).items())]


def _value_items(uri: str, text: str, spec: Field) -> list[lsp.CompletionItem]:
    if spec.type == REF:
        return _ref_items(uri, text, spec.ref_kind)
    if spec.type == ENUM:
        return [_item(c, lsp.CompletionItemKind.EnumMember, f"{spec.name}" + (" (default)" if c == spec.default
                                                                           else ""),
                      sort="0" if c == spec.default else "1") for c in spec.choices]
    if spec.type == FORMAT:
        items = [_item(f, lsp.CompletionItemKind.EnumMember, "numeric format") for f in FORMATS]
        items.append(_item("int4 { group = 128 }", lsp.CompletionItemKind.Snippet,
                           "group-quantized int4 (one fp16 scale per 128 weights)",
                           insert="int4 { group = ${1:128} }", snippet=True, sort="2"))
        return items
    if spec.type == BOOL:
        return [_item(v, lsp.CompletionItemKind.Keyword, spec.name) for v in ("true", "false")]
    items = [_item(c, lsp.CompletionItemKind.Constant, "const") for c in _consts(uri, text)]
    if spec.example:
        items.append(_item(spec.example, lsp.CompletionItemKind.Value, f"e.g. ({spec.name})", sort="2"))
    return items


def _field_items(schema: BlockSchema, frame: Frame) -> list[lsp.CompletionItem]:
    items = []
    for name, spec in schema.fields.items():
        if name in frame.fields:
            continue
        if spec.type == BLOCK:
            insert, snippet = f"{name} {{\n\t$0\n}}", True
        else:
            insert, snippet = f"{name} = ", False
        detail = spec.type + (" [" + " or ".join(describe(d) for d in spec.dims) + "]" if spec.dims else "")
        if spec.required:
            detail += " (required)"
        items.append(_item(name, lsp.CompletionItemKind.Field, detail, field_doc(spec, schema.name),
                           sort="0" if spec.required else "1", insert=insert, snippet=snippet))
    if frame.role == "decl" and frame.label in ("training", "inference"):
        items.append(_item("require", lsp.CompletionItemKind.Keyword, "a condition over the plan's results",
                           sort="2", insert="require "))
    return items


def _search_items(frame: Frame) -> list[lsp.CompletionItem]:
    return [_item(k, lsp.CompletionItemKind.Keyword, "search statement", insert=f"{k} ")
            for k in ("vary", "minimize", "maximize")]


def _in_comment_or_string(text: str, offset: int) -> bool:
    """Whether `offset` is inside a comment or a string (neither spans lines)."""
    line = text[text.rfind("\n", 0, offset) + 1:offset]
    in_string, i = False, 0
    while i < len(line):
        ch = line[i]
        if in_string and ch == "\\":
            i += 2
            continue
        if ch == '"':
            in_string = not in_string
        elif ch == "#" and not in_string:
            return True
        i += 1
    return in_string


def complete(uri: str, text: str, offset: int) -> list[lsp.CompletionItem]:
    if _in_comment_or_string(text, offset):
        return []
    tokens = lex(text)
    ctx = context_at(text, offset, tokens)
    line_start = text.rfind("\n", 0, offset) + 1
    prefix = text[line_start:offset]
    cut = max(prefix.rfind(";"), prefix.rfind("{"), prefix.rfind("}"))
    stmt = prefix[cut + 1:]

    # `name.` : the fields of what `name` refers to
    m = re.search(r"([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\.([A-Za-z_0-9]*)$", stmt)
    if m:
        return _member_items(uri, m.group(1).split("."))
    if not ctx.frames:
        # a declaration header: `model x from |`, `search s for |`
        m = re.match(rf"^\s*({'|'.join(KINDS)})\s+[A-Za-z_]\w*\s+from\s+\w*$", stmt)
        if m:
            return _ref_items(uri, text, m.group(1))
        m = re.match(r"^\s*search\s+[A-Za-z_]\w*\s+(?:from\s+\w+\s+)?for\s+\w*$", stmt)
        if m:
            return _ref_items(uri, text, "training")
        if re.match(r"^\s*\w*$", stmt):
            return ([_item(k, lsp.CompletionItemKind.Keyword, KINDS[k].doc, kind_doc(k), insert=f"{k} ")
                     for k in KINDS]
                    + [_item(k, lsp.CompletionItemKind.Keyword, "keyword", insert=f"{k} ") for k in _KEYWORD_ITEMS])
        m = re.match(r"^\s*const\s+\w+\s*=\s*[^=]*$", stmt)
        if m:
            return [_item(c, lsp.CompletionItemKind.Constant, "const") for c in _consts(uri, text)]
        return []
    frame, schema = ctx.frames[-1], ctx.schema
    # `field = |`
    m = re.match(r"^\s*([A-Za-z_]\w*)\s*=\s*(\w*)$", stmt)
    if m:
        spec = schema.fields.get(m.group(1)) if schema is not None else None
        return _value_items(uri, text, spec) if spec is not None else []
    # `require ...`: the plan's results
    m = re.match(r"^\s*require\b", stmt)
    if m:
        kind = ctx.decl.label if ctx.decl else ""
        items = [_item(n, lsp.CompletionItemKind.Variable, doc, sort="0")
                 for n, (_dims, doc) in RESULTS.get(kind, {}).items()]
        items += [_item(k, lsp.CompletionItemKind.Keyword, "operator") for k in ("and", "or", "not")]
        items += [_item(c, lsp.CompletionItemKind.Constant, "const") for c in _consts(uri, text)]
        items += _ref_items(uri, text, None) if re.search(r"[<>=]\s*[\w.]*$", stmt) else []
        return items
    # the start of an entry: the block's fields
    if re.match(r"^\s*\w*$", stmt):
        if frame.role == "decl" and frame.label == "search":
            return _search_items(frame)
        return _field_items(schema, frame) if schema is not None else []
    return []


def _member_items(uri: str, parts: list[str]) -> list[lsp.CompletionItem]:
    analysis = _for_values(uri)
    if analysis is None or analysis.comp.checker is None:
        return []
    checker = analysis.comp.checker
    decl = checker.decls.get(parts[0])
    if decl is None:
        return []
    schema = KINDS.get(decl.kind)
    obj = _lowered(checker, parts[0])
    for part in parts[1:]:
        spec = schema.fields.get(part) if schema else None
        if spec is None:
            return []
        if spec.type == BLOCK:
            schema, obj = spec.block, obj.fields.get(part) if isinstance(obj, Obj) else None
        elif spec.type == REF:
            target = obj.fields.get(part) if isinstance(obj, Obj) else None
            schema, obj = (KINDS.get(target.kind), target) if isinstance(target, Obj) else (
                KINDS.get(spec.ref_kind), None)
        else:
            return []
    if schema is None:
        return []
    items = []
    for name, spec in schema.fields.items():
        value = obj.fields.get(name) if isinstance(obj, Obj) else None
        shown = _show_value(value, spec.dims[0] if spec.dims else None) if value is not None else spec.type
        items.append(_item(name, lsp.CompletionItemKind.Field, shown, field_doc(spec, schema.name)))
    return items


# ============================================================ definition

def definition(ls: LanguageServer, uri: str, text: str, offset: int) -> lsp.Location | None:
    tokens = lex(text)
    i = _token_at(tokens, offset)
    analysis = _for_values(uri)
    if i is None or analysis is None or analysis.comp.checker is None:
        return None
    tok = tokens[i]
    if not (tok.type in Name) or tok.type in Name.Attribute:
        return None
    checker = analysis.comp.checker
    item = checker.decls.get(tok.text) or checker.consts.get(tok.text)
    if item is None:
        return None
    target = _uri_of(analysis, item.name_span.path, _open_texts(ls))
    if target is None:
        return None
    lines = (analysis.text.split("\n") if target == analysis.uri
             else _lines_of(analysis, item.name_span.path))
    return lsp.Location(uri=target, range=_range(ls, lines, item.name_span))


# ============================================================ LSP wiring

def _offset(ls: LanguageServer, text: str, position: lsp.Position) -> int:
    """An LSP position (client units) -> an offset into `text` (code points)."""
    starts = _line_starts(text)
    if position.line >= len(starts):
        return len(text)
    start = starts[position.line]
    end = starts[position.line + 1] - 1 if position.line + 1 < len(starts) else len(text)
    line = text[start:end]
    units = 0
    for i, ch in enumerate(line):
        if units >= position.character:
            return start + i
        units += _client_units(ls, ch)
    return end


@server.feature(lsp.INITIALIZED)
def initialized(ls: LanguageServer, params: lsp.InitializedParams) -> None:
    """Warm up while the editor settles: the grammar, the catalog and the engine's imports."""
    try:
        importlib.import_module(".engine.evaluate", __package__)  # imported on first use otherwise
        compile_files([], evaluate=False)
    except Exception:
        log.exception("capplan: warm-up failed")


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
    uri = params.text_document.uri
    refresh(ls, uri)
    path = STATE.latest[uri].path if uri in STATE.latest else None
    if path:
        for other in _dependents(uri, path):
            refresh(ls, other)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: LanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    STATE.counter += 1
    mine = STATE.pending[uri] = STATE.counter
    await asyncio.sleep(CHANGE_DEBOUNCE_S)
    if STATE.pending.get(uri) != mine:
        return  # a newer change of this document compiles instead
    STATE.pending.pop(uri, None)
    if uri not in ls.workspace.text_documents and uri not in STATE.latest:
        return
    analysis = refresh(ls, uri)
    if analysis is not None:
        for other in _dependents(uri, analysis.path):
            refresh(ls, other)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: LanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    analysis = refresh(ls, uri)
    if analysis is not None:
        for other in _dependents(uri, analysis.path):
            refresh(ls, other)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: LanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    STATE.pending.pop(uri, None)
    analysis = STATE.latest.pop(uri, None)
    STATE.good.pop(uri, None)
    for target in (analysis.published if analysis else {uri}):
        if target == uri or target not in STATE.latest:
            ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=target, diagnostics=[]))


def _fresh_text(ls: LanguageServer, uri: str) -> str:
    """The document's text; compiles it first if a change is still pending (hover needs values)."""
    doc = ls.workspace.get_text_document(uri)
    latest = STATE.latest.get(uri)
    if latest is None or latest.version != doc.version or latest.text != doc.source:
        STATE.pending.pop(uri, None)
        refresh(ls, uri)
    return doc.source


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def hover(ls: LanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
    uri = params.text_document.uri
    text = _fresh_text(ls, uri)
    offset = _offset(ls, text, params.position)
    try:
        value = hover_markdown(uri, text, offset)
    except Exception:
        log.exception("capplan: hover failed")
        return None
    if not value:
        return None
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=value))


@server.feature(lsp.TEXT_DOCUMENT_COMPLETION,
                lsp.CompletionOptions(trigger_characters=[".", "="]))
def completion(ls: LanguageServer, params: lsp.CompletionParams) -> lsp.CompletionList:
    uri = params.text_document.uri
    doc = ls.workspace.get_text_document(uri)
    text = doc.source
    if uri not in STATE.latest:
        refresh(ls, uri)
    offset = _offset(ls, text, params.position)
    try:
        items = complete(uri, text, offset)
    except Exception:
        log.exception("capplan: completion failed")
        items = []
    return lsp.CompletionList(is_incomplete=False, items=items)


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
def goto_definition(ls: LanguageServer, params: lsp.DefinitionParams) -> lsp.Location | None:
    uri = params.text_document.uri
    text = _fresh_text(ls, uri)
    try:
        return definition(ls, uri, text, _offset(ls, text, params.position))
    except Exception:
        log.exception("capplan: definition failed")
        return None


def main(argv: list[str] | None = None) -> int:
    """Serve LSP over stdio until the client says `exit`."""
    logging.basicConfig(level=logging.WARNING, format="capplan-lsp: %(levelname)s %(message)s")
    server.start_io()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
