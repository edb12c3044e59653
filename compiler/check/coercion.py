"""Coercion of evaluated values to a field's type: quantities, counts, enums, formats, references.

A mixin of the Checker (checker.py), split out to keep modules short.
"""

from __future__ import annotations

from capplan.lang import ast
from capplan.core.diagnostics import Label, did_you_mean
from capplan.core.limits import limits
from capplan.check.expressions import Unresolved
from capplan.check.schema import (BOOL, COUNT, COUNTS, ENUM, FORMAT, FORMAT_OPTIONS, FORMATS, FRACTION, NUMBER,
    QUANTITY, REF, STRING, Field)
from capplan.check.units import UnitError, describe, table
from capplan.check.values import Bool, Format, ListVal, Num, Obj, Str, Word

INVALID = object()  # a value that was rejected with a diagnostic


def fmt_plain(expr) -> str:
    return expr.text if isinstance(expr, ast.Quantity) else "..."


class CoercionMixin:
    def coerce(self, spec: Field, expr, fname: str):
        """(plain value, dims or None) for field `spec`, or (INVALID, None) after a diagnostic."""
        try:
            if spec.type == ENUM:
                if spec.many and isinstance(expr, ast.ListExpr):
                    items = tuple(self._enum(spec, item) for item in expr.items)
                    if not items:
                        self.d.error("E0403", f"`{fname}` needs at least one choice", expr.span,
                                     label="empty list", notes=("choices: " + ", ".join(spec.choices),))
                        return INVALID, None
                    return (INVALID if INVALID in items else items), None
                return self._enum(spec, expr), None
            if spec.type == FORMAT:
                return self._format(expr), None
            value = self.evaluate(expr)
            if spec.type == QUANTITY:
                return self._quantity(spec, value, expr, fname)
            if spec.type in (COUNT, NUMBER, FRACTION):
                return self._plain(spec, value, expr, fname), None
            if spec.type == COUNTS:
                if not isinstance(value, ListVal):
                    self.d.error("E0403", f"`{fname}` takes a list of whole numbers", expr.span,
                                 label="not a list", hint=f"write `{fname} = [10, 10, 12]`")
                    return INVALID, None
                items = [self._plain(spec, v, e, fname) for v, e in zip(value.items, expr.items)]
                return (INVALID if INVALID in items else items), None
            if spec.type == BOOL:
                if isinstance(value, Bool):
                    return value.value, None
                self.d.error("E0403", f"`{fname}` is true or false", expr.span, label="not a boolean",
                             hint=f"write `{fname} = true` or `{fname} = false`")
                return INVALID, None
            if spec.type == STRING:
                if isinstance(value, Str):
                    return value.value, None
                self.d.error("E0403", f"`{fname}` is text in double quotes", expr.span,
                             label="not a string", hint=f'write `{fname} = "..."`')
                return INVALID, None
            if spec.type == REF:
                return self._reference(spec, value, expr, fname), None
        except Unresolved:
            return INVALID, None
        raise TypeError(f"unknown field type {spec.type}")

    def _reference(self, spec: Field, value, expr, fname: str):
        if isinstance(value, Obj) and value.kind == spec.ref_kind:
            return value
        if isinstance(value, Word):
            pool = [n for n, dcl in self.decls.items() if dcl.kind == spec.ref_kind]
            close = did_you_mean(value.name, pool)
            self.d.error("E0201", f"unknown {spec.ref_kind} `{value.name}`", expr.span,
                         label=f"no {spec.ref_kind} has this name",
                         hint=f"did you mean `{close}`?" if close else
                         f"`capplan catalog` lists the catalog's {spec.ref_kind}s")
            return INVALID
        if isinstance(value, Obj):
            decl = self.decls.get(value.name)
            self.d.error("E0204", f"`{fname}` needs a {spec.ref_kind}, but `{value.name}` is a "
                         f"{value.kind}", expr.span, label=f"this is a {value.kind}",
                         secondary=(Label(decl.name_span, f"{value.kind} declared here"),) if decl else (),
                         hint=f"name a {spec.ref_kind} here")
            return INVALID
        self.d.error("E0403", f"`{fname}` needs the name of a {spec.ref_kind}", expr.span,
                     label="not a name")
        return INVALID

    def _word_of(self, expr) -> str | None:
        if isinstance(expr, ast.Ref) and len(expr.parts) == 1:
            return expr.parts[0]
        if isinstance(expr, ast.Quantity) and expr.unit and expr.unit_span.column == expr.span.column + len(expr.text):
            return expr.text + expr.unit  # `1f1b` lexes as a number and a unit
        if isinstance(expr, ast.Quantity) and expr.unit is None:
            return expr.text
        return None

    def _enum(self, spec: Field, expr):
        word = self._word_of(expr)
        if word in spec.choices:
            return word
        close = did_you_mean(word, spec.choices) if word else None
        shown = f"`{word}`" if word else "this value"
        self.d.error("E0403", f"{shown} is not a valid `{spec.name}`", expr.span,
                     label="not one of the choices",
                     notes=("choices: " + ", ".join(spec.choices),),
                     hint=f"did you mean `{close}`?" if close else None)
        return INVALID

    def _format(self, expr):
        if isinstance(expr, ast.Configured):
            word, options_block = expr.name, expr.body
        else:
            word, options_block = self._word_of(expr), None
        if word not in FORMATS:
            close = did_you_mean(word, FORMATS) if word else None
            self.d.error("E0403", f"`{word}` is not a numeric format" if word else
                         "a numeric format is needed here", expr.span, label="unknown format",
                         notes=("formats: " + ", ".join(FORMATS),),
                         hint=f"did you mean `{close}`?" if close else None)
            return INVALID
        options = {}
        if options_block is not None:
            lowered = self.lower_block(self.eblock(word, options_block), FORMAT_OPTIONS,
                                       "format", word, expr.name_span)
            options = {k: v for k, v in lowered.fields.items() if v is not None and not k.startswith("_")}
        if word == "nf4":
            options.setdefault("group", 64)  # NF4 is defined block-wise: bitsandbytes blocksize 64
        return Format(word, **options)

    def _quantity(self, spec: Field, value, expr, fname: str):
        if isinstance(value, Word):
            self._unknown(value.name, value.span, {**self.decls, **self.consts})
            return INVALID, None
        if not isinstance(value, Num):
            self.d.error("E0403", f"`{fname}` takes a quantity", expr.span, label="not a quantity",
                         hint=f"e.g. `{fname} = {spec.example}`")
            return INVALID, None
        if value.dims in spec.dims:
            if value.value is not None and value.value <= 0 and not spec.allow_zero:
                self.d.error("E0404", f"`{fname}` must be positive", expr.span,
                             label=f"this is {value.written or value.value}")
                return INVALID, None
            return value.value, value.dims
        expected = " or ".join(describe(d) for d in spec.dims)
        if not value.dims:
            self.d.error("E0303", f"`{fname}` needs a unit", expr.span, label="a plain number",
                         notes=(f"expected: {expected}",), hint=f"write e.g. `{fname} = {spec.example}`")
            return INVALID, None
        hint = self._unit_hint(expr, spec)
        self.d.error("E0301", f"unit mismatch for `{fname}`", expr.span,
                     label=f"this is {describe(value.dims)}",
                     notes=(f"expected: {expected}, e.g. `{spec.example}`",), hint=hint)
        return INVALID, None

    def _unit_hint(self, expr, spec: Field) -> str | None:
        if not isinstance(expr, ast.Quantity) or not expr.unit:
            return None
        unit = expr.unit
        candidates = []
        if "/" in unit:
            candidates.append(unit.rsplit("/", 1)[0])
        candidates.append(unit + "/s")
        for candidate in candidates:
            try:
                if table().lookup(candidate).dims in spec.dims:
                    return f"did you mean `{expr.text} {candidate}`?"
            except UnitError:
                continue
        return None

    def _plain(self, spec: Field, value, expr, fname: str):
        if isinstance(value, Word):
            self._unknown(value.name, value.span, {**self.decls, **self.consts})
            return INVALID
        if not isinstance(value, Num):
            self.d.error("E0403", f"`{fname}` takes a number", expr.span, label="not a number")
            return INVALID
        if value.dims:
            self.d.error("E0304", f"`{fname}` is a plain {'count' if spec.type == COUNT else 'number'}",
                         expr.span, label=f"this has a unit: {describe(value.dims)}",
                         hint=f"drop the unit: `{fname} = {fmt_plain(expr)}`")
            return INVALID
        x = value.value
        if spec.type == FRACTION:
            if not 0 <= x <= 1:
                self.d.error("E0404", f"`{fname}` is a fraction between 0 and 1", expr.span,
                             label=f"this is {value.written or x}", hint="write e.g. `90 %` or `0.9`")
                return INVALID
            return x
        if spec.type in (COUNT, COUNTS):
            if x != int(x):
                self.d.error("E0405", f"`{fname}` must be a whole number", expr.span,
                             label=f"this is {value.written or x}")
                return INVALID
            if x < 0 or (x == 0 and not spec.allow_zero):
                self.d.error("E0404", f"`{fname}` must be {'at least 0' if spec.allow_zero else 'positive'}",
                             expr.span, label=f"this is {value.written or int(x)}")
                return INVALID
            cap = limits().max_layers if fname == "layers" else limits().max_count
            if x > cap:
                self.d.error("E0801", f"`{fname}` is out of range", expr.span,
                             label=f"this is {value.written or int(x)}, over the limit of {cap:,}",
                             notes=("the engine walks every layer of every pipeline stage" if fname == "layers"
                                    else "counts are computed as 64-bit integers",),
                             hint="check the number for a typo")
                return INVALID
            return int(x)
        return x

    # -------------------------------------------------------------- driver
