"""Completion: what may be written at the cursor, from the schema and the declarations in scope.

After `model =`, `gpu =`, `cluster =`, `precision =` (any field naming a declaration, and
after `from` in a header) the declarations and catalog entries of that kind; the fields of
the enclosing block's schema at the start of an entry; the choices of an enum field,
formats, `true`/`false`; the fields of a declaration after `name.`; kinds and keywords at
the top level; result names in `require`. Nothing inside a comment or a string.
"""

from __future__ import annotations

import re
from pathlib import Path

from lsprotocol import types as lsp

from capplan.check.loader import display_path, is_catalog
from capplan.check.schema import BLOCK, BOOL, ENUM, FORMAT, FORMATS, KINDS, REF, RESULTS, BlockSchema, Field
from capplan.check.units import describe
from capplan.check.values import Obj
from capplan.lang.lexer import NAME
from capplan.tools.lsp.context import Frame, context_at, in_comment_or_string, lex
from capplan.tools.lsp.docs import field_doc, kind_doc
from capplan.tools.lsp.documents import STATE, for_values
from capplan.tools.lsp.values import decl_label, lowered, show_value

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
            label = decl_label(decl)
            out.setdefault(name, (f"{decl.kind} — {label}" if label else f"{decl.kind} ({where})", group))
    for m in re.finditer(rf"(?m)^[ \t]*({'|'.join(KINDS)})[ \t]+({NAME})", text):
        if (kind is None or m.group(1) == kind) and m.group(2) not in out:
            out[m.group(2)] = (f"{m.group(1)} (this file)", "0")
    return out


def _consts(uri: str, text: str) -> list[str]:
    names = set(re.findall(rf"(?m)^[ \t]*const[ \t]+({NAME})", text))
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


def complete(uri: str, text: str, offset: int) -> list[lsp.CompletionItem]:
    """The completion items at `offset` of `text` (the document)."""
    if in_comment_or_string(text, offset):
        return []
    tokens = lex(text)
    ctx = context_at(text, offset, tokens)
    line_start = text.rfind("\n", 0, offset) + 1
    prefix = text[line_start:offset]
    cut = max(prefix.rfind(";"), prefix.rfind("{"), prefix.rfind("}"))
    stmt = prefix[cut + 1:]

    # `name.` : the fields of what `name` refers to
    m = re.search(rf"({NAME}(?:\.{NAME})*)\.([A-Za-z_0-9]*)$", stmt)
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
    # `require ...` (or `drop require ...`): the plan's results
    m = re.match(r"^\s*(drop\s+)?require\b", stmt)
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
    analysis = for_values(uri)
    if analysis is None or analysis.comp.checker is None:
        return []
    checker = analysis.comp.checker
    decl = checker.decls.get(parts[0])
    if decl is None:
        return []
    schema = KINDS.get(decl.kind)
    obj = lowered(checker, parts[0])
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
        shown = show_value(value, spec.dims[0] if spec.dims else None) if value is not None else spec.type
        items.append(_item(name, lsp.CompletionItemKind.Field, shown, field_doc(spec, schema.name)))
    return items

