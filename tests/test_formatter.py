"""`capplan fmt`: idempotent, meaning-preserving, comment-preserving, golden layouts, the file helpers."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capplan.lang import ast
from capplan.core.diagnostics import Diagnostics
from capplan.lang.formatter import FormatterError, format_file, format_source, run_fmt, unified_diff
from capplan.lang.parser import parse
from capplan.lang.printer import Printer

from conftest import GOLDEN, ROOT, check_golden


def _plans(folder: Path, pattern: str = "*.plan") -> list[Path]:
    """The .plan files of a folder, without hidden ones (other tests' temporary copies)."""
    return sorted(p for p in folder.glob(pattern) if not p.name.startswith("."))


SPECS = _plans(ROOT / "specs", "**/*.plan")
PLAN_FILES = sorted(SPECS + _plans(ROOT / "compiler" / "catalog") + _plans(ROOT / "bench")
                    + _plans(GOLDEN / "parse") + _plans(GOLDEN / "fmt"))
FMT_CASES = _plans(GOLDEN / "fmt")


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _fmt(text: str, path: str = "x.plan") -> str:
    out, diagnostics = format_source(text, path)
    assert out is not None, [d.message for d in diagnostics.items]
    return out


def strip(node):
    """An AST with every position removed (our own, independent of the formatter's check).

    Kept from the positions: whether a unit is glued to its number, since the
    checker reads `1f1b` as one word and `1 f1b` as a number and a unit.
    """
    if isinstance(node, ast.File):
        return {"items": strip(node.items), "comments": [c.text.rstrip() for c in node.comments]}
    if isinstance(node, (tuple, list)):
        return [strip(x) for x in node]
    if dataclasses.is_dataclass(node):
        out = {"node": type(node).__name__}
        for f in dataclasses.fields(node):
            if f.name == "span" or f.name.endswith("_span"):
                continue
            out[f.name] = strip(getattr(node, f.name))
        if isinstance(node, ast.Quantity) and node.unit:
            out["glued"] = node.unit_span.column == node.span.column + len(node.text)
        return out
    return node


def _tree(text: str) -> ast.File:
    d = Diagnostics()
    tree = parse(text, "x.plan", d)
    assert tree is not None, [x.message for x in d.items]
    return tree


# ---------------------------------------------------------------- properties over every shipped file

@pytest.mark.parametrize("path", PLAN_FILES, ids=_id)
def test_formatting_is_idempotent(path):
    once = _fmt(path.read_text(), path.name)
    assert _fmt(once, path.name) == once


@pytest.mark.parametrize("path", PLAN_FILES, ids=_id)
def test_formatting_keeps_the_ast(path):
    text = path.read_text()
    assert strip(_tree(_fmt(text))) == strip(_tree(text))


@pytest.mark.parametrize("path", PLAN_FILES, ids=_id)
def test_every_comment_survives_in_order(path):
    text = path.read_text()
    before = [c.text.rstrip() for c in _tree(text).comments]
    out = _fmt(text)
    after = [c.text.rstrip() for c in _tree(out).comments]
    assert after == before
    assert sum(line.count("#") for line in out.splitlines()) >= len(before)


@pytest.mark.parametrize("path", PLAN_FILES, ids=_id)
def test_layout_invariants(path):
    out = _fmt(path.read_text())
    comment_at = {c.span.line: c.span.column for c in _tree(out).comments}
    assert out.endswith("\n") and not out.endswith("\n\n")
    assert not out.startswith("\n")
    assert "\n\n\n" not in out
    assert "\t" not in out
    for number, line in enumerate(out.splitlines(), 1):
        assert line == line.rstrip(), repr(line)
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 2 == 0, repr(line)
        code = line[:comment_at[number] - 1] if number in comment_at else line
        bare = re.sub(r'"([^"\\]|\\.)*"', '""', code)
        assert ";" not in bare or "{" in bare, repr(line)  # `;` only inside one-line blocks
        if number in comment_at and code.strip():  # trailing comments: column 40, or 2 spaces after long code
            assert comment_at[number] == 40 or (len(code.rstrip()) > 37 and code.endswith("  ")
                                                and not code.endswith("   ")), repr(line)


def _evaluated(path: str) -> str:
    from capplan.pipeline import compile_files, result_document

    def scrub(value):
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items() if k not in ("line", "file", "files")}
        if isinstance(value, list):
            return [scrub(v) for v in value]
        return value

    comp = compile_files([path])
    return json.dumps(scrub(result_document(comp)), sort_keys=True, indent=1)


@pytest.mark.parametrize("spec", SPECS, ids=_id)
def test_formatted_specs_evaluate_identically(spec):
    # The copy sits beside the original, so its relative imports resolve the same; its name
    # is hidden and does not end in .plan, so no test collecting specs/ picks it up.
    fd, copy = tempfile.mkstemp(dir=spec.parent, prefix=".fmt-test-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(_fmt(spec.read_text(), spec.name))
        assert _evaluated(copy) == _evaluated(str(spec))
    finally:
        os.unlink(copy)


# ---------------------------------------------------------------- golden layouts

@pytest.mark.parametrize("case", FMT_CASES, ids=[c.stem for c in FMT_CASES])
def test_fmt_golden(case):
    out = _fmt(case.read_text(), case.name)
    check_golden(case.with_suffix(".expected"), out)


@pytest.mark.parametrize("case", FMT_CASES, ids=[c.stem for c in FMT_CASES])
def test_golden_outputs_are_canonical(case):
    expected = case.with_suffix(".expected")
    if expected.exists():
        text = expected.read_text()
        assert _fmt(text) == text


def test_there_are_enough_golden_cases():
    assert len(FMT_CASES) >= 6
    assert all(c.with_suffix(".expected").exists() for c in FMT_CASES)


# ---------------------------------------------------------------- specific rules

def test_alignment_trailing_comments_and_one_line_blocks():
    text = ("training t {\n  model = m   # the model\n  global_batch=8\n"
            "  parallel { tensor = 2 }\n  framework { a = 1; b = 2; c = 3; d = 4 }\n}\n")
    assert _fmt(text) == (
        "training t {\n"
        + "  model        = m".ljust(39) + "# the model\n"
        "  global_batch = 8\n"
        "  parallel { tensor = 2 }\n"
        "  framework {\n"
        "    a = 1\n"
        "    b = 2\n"
        "    c = 3\n"
        "    d = 4\n"
        "  }\n"
        "}\n")


def test_numbers_units_and_strings_keep_their_text():
    out = _fmt('const a = 1_000 GiB\nconst b = .5\nconst c = 3.35 TB/s\n'
               'gpu g { schedule = 1f1b; s = "a\\"b\\\\c\\td" }\n')
    assert "1_000 GiB" in out and "= .5" in out and "3.35 TB/s" in out
    assert "schedule = 1f1b" in out and 's = "a\\"b\\\\c\\td"' in out


def test_parentheses_needed_by_the_tree_are_printed():
    # built without any parentheses in the source: the tree needs them
    tree = _tree("const x = 1 - 2\n")
    q = tree.items[0].value
    inner = dataclasses.replace(q, op="-")
    outer = ast.Binary("-", q.left, inner, q.span)  # 1 - (1 - 2)
    tree2 = dataclasses.replace(tree, items=(dataclasses.replace(tree.items[0], value=outer),))
    printer = Printer("const x = 1 - 2\n", tree2)
    assert printer.flat_expr(outer, 4) == "1 - (1 - 2)"
    cond = ast.Not(ast.Conjunction(q, q, q.span), q.span)
    assert printer.flat_expr(cond, 0) == "not (1 - 2 and 1 - 2)"
    assert printer.flat_expr(ast.Compare(">", q, q, q.span), 4) == "(1 - 2 > 1 - 2)"


def test_a_blank_line_is_kept_but_never_doubled():
    out = _fmt("gpu g {\n\n  a = 1\n\n\n\n  b = 2\n\n}\n\n\n\ngpu h { a = 1 }\n")
    assert out == "gpu g {\n  a = 1\n\n  b = 2\n}\n\ngpu h { a = 1 }\n"


def test_empty_and_comment_only_files():
    assert _fmt("") == ""
    assert _fmt("\n\n   \n") == ""
    assert _fmt("\n# only a comment   \n\n\n# another\n") == "# only a comment\n\n# another\n"


def test_windows_line_endings_become_unix():
    out = _fmt("gpu g {\r\n  a = 1 # c\r\n}\r\n")
    assert out == "gpu g {\n" + "  a = 1".ljust(39) + "# c\n}\n"


def test_syntax_errors_give_diagnostics_not_exceptions():
    for text in ("gpu a {\n  memory: 1 GiB\n}\n", "gpu a {", "const = 3\n", "gpu a { x = 'a' }\n", "[[[[\n"):
        out, diagnostics = format_source(text, "bad.plan")
        assert out is None
        assert diagnostics.has_errors
        assert all(d.code.startswith("E01") for d in diagnostics.items)


def test_the_formatter_refuses_to_change_meaning(monkeypatch):
    monkeypatch.setattr(Printer, "document", lambda self: "const x = 2\n")
    with pytest.raises(FormatterError):
        format_source("const x = 1\n")


_PIECES = ["gpu g {", "}", "\n", " ", "  ", ";", "# note", "x = 1", "y = [1, 2]", "[", "]", ",",
           "peak { bf16 = 1 TFLOP/s }", "require not (a > b) or c", "(", ")", "-", "const k = 2 GiB",
           "model m from n {", "w = int4 { group = 128 }", '"s"', "\n\n", "vary t in [1,", "1f1b"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_arbitrary_input_never_raises_and_valid_input_formats_stably(pieces):
    text = "".join(pieces)
    out, diagnostics = format_source(text, "fuzz.plan")
    if out is None:
        assert diagnostics.has_errors
        return
    assert strip(_tree(out)) == strip(_tree(text))
    assert _fmt(out) == out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SPECS), st.data())
def test_mutated_specs_never_break_the_formatter(spec, data):
    lines = spec.read_text().split("\n")
    i = data.draw(st.integers(0, len(lines) - 1))
    j = data.draw(st.integers(i, min(len(lines), i + 8)))
    joiner = data.draw(st.sampled_from(["; ", " ", "\n\n", "\n  # mid\n"]))
    text = "\n".join(lines[:i] + [joiner.join(lines[i:j])] + lines[j:])
    out, _ = format_source(text, spec.name)
    if out is not None:
        assert strip(_tree(out)) == strip(_tree(text))
        assert _fmt(out) == out


class _Gen:
    """Random valid specs: every construct, odd spacing, `;`, blank lines and comments wherever
    the grammar allows them (comments need a newline after them: in separators and lists)."""

    NAMES = ["a", "bb", "memory", "global_batch", "x1", "schedule", "sequence_parallel"]

    def __init__(self, rng):
        self.r = rng
        self.count = 0

    def pick(self, options):
        return self.r.choice(options)

    def ws(self):
        return self.pick(["", " ", "  ", "\t", " "])

    def comment(self, kind):
        self.count += 1
        return f"# {kind}{self.count}" + self.pick(["", " x ; y", " { }", "  "])

    def newline(self):
        out = self.ws()
        if self.r.random() < 0.3:
            out += self.comment("c")
        out += "\n" * self.pick([1, 1, 1, 2, 3]) + " " * self.r.randint(0, 6)
        if self.r.random() < 0.15:
            out += self.comment("own") + "\n" + " " * self.r.randint(0, 4)
        return out

    def sep(self):
        k = self.r.random()
        if k < 0.6:
            return self.newline()
        semicolon = self.ws() + ";" + self.ws()
        return semicolon if k < 0.85 else self.newline() + semicolon

    def ref(self):
        parts = [self.pick(self.NAMES) for _ in range(self.r.randint(1, 3))]
        return (self.ws() + "." + self.ws()).join(parts)

    def atom(self, depth):
        k = self.r.random()
        if k < 0.3:
            return self.pick(["1", "2.5", "1_000", ".5", "3e9"]) + self.pick(["", " GiB", "  TB/s", "f1b", "%", " %"])
        if k < 0.4:
            return '"s' + self.pick(["", '\\"q', "\\\\", "\\t"]) + '"'
        if k < 0.5:
            return self.pick(["true", "false"])
        if k < 0.7 or depth >= 3:
            return self.ref()
        if k < 0.8:
            return self.list(depth + 1)
        return "(" + self.ws() + self.condition(depth + 1) + self.ws() + ")"

    def unary(self, depth):
        if self.r.random() < 0.15 and depth < 4:
            return "-" + self.ws() + self.unary(depth + 1)
        return self.atom(depth)

    def chain(self, operand, ops, depth, odds=(0, 0, 0, 0, 1)):
        out = operand(depth)
        for _ in range(self.pick(odds)):
            op = self.pick(ops)
            out += (self.ws() if op in "+-*/" else " " + self.ws()) + op + " " + operand(depth)
        return out

    def sum(self, depth):
        return self.chain(lambda d: self.chain(self.unary, ["*", "/"], d), ["+", "-"], depth)

    def comparison(self, depth):
        k = self.r.random()
        if k < 0.2 and depth < 4:
            return "not" + self.pick([" ", "  "]) + self.comparison(depth + 1)
        if k < 0.6:
            op = self.pick(["<", "<=", "==", "!=", ">=", ">"])
            return self.sum(depth) + self.ws() + op + self.ws() + self.sum(depth)
        return self.sum(depth)

    def condition(self, depth):
        return self.chain(lambda d: self.chain(self.comparison, ["and"], d, (0, 0, 1)), ["or"], depth, (0, 0, 1))

    def value(self, depth):
        if self.r.random() < 0.15 and depth < 3:
            return self.pick(self.NAMES) + self.ws() + self.block(depth + 1)
        return self.sum(depth)

    def list(self, depth):
        items = [self.value(depth) for _ in range(self.pick([0, 1, 2, 3, 5]))]
        multi = self.r.random() < 0.4

        def gap():
            return self.newline() if multi and self.r.random() < 0.6 else self.ws()

        out = "[" + gap()
        for i, item in enumerate(items):
            out += item + gap()
            if i < len(items) - 1 or self.r.random() < 0.4:
                out += "," + gap()
        return out + "]"

    def entry(self, depth):
        k = self.r.random()
        name = self.pick(self.NAMES)
        if k < 0.5:
            return name + self.ws() + "=" + self.ws() + self.value(depth)
        if k < 0.65 and depth < 3:
            return name + self.ws() + self.block(depth + 1)
        if k < 0.8:
            return "require " + self.condition(depth)
        if k < 0.9:
            return f"vary {name} in " + self.sum(depth)
        return self.pick(["minimize", "maximize"]) + " " + name

    def block(self, depth):
        one_line = self.r.random() < 0.4

        def edge():
            return self.ws() if one_line or self.r.random() < 0.2 else self.sep()

        entries = [self.entry(depth) for _ in range(self.pick([0, 1, 2, 3, 4, 6]))]
        between = (self.ws() + ";" + self.ws()) if one_line else None
        body = "".join(e + (between or self.sep()) for e in entries[:-1]) + "".join(entries[-1:])
        return "{" + edge() + body + edge() + "}"

    def item(self):
        k = self.r.random()
        if k < 0.1:
            return f'import "a{self.r.randint(0, 99)}.plan"'
        if k < 0.35:
            return f"const {self.pick(self.NAMES)} = " + self.sum(0)
        head = self.pick(["gpu", "model", "training"]) + " " + self.pick(self.NAMES)
        if self.r.random() < 0.3:
            head += " from " + self.ref()
        if self.r.random() < 0.2:
            head += " for " + self.pick(self.NAMES)
        return head + self.ws() + self.block(0)

    def file(self):
        out = self.pick(["", "\n", self.newline()])
        for _ in range(self.r.randint(0, 5)):
            out += self.item() + self.sep()
        return out + self.pick(["", "# end", "\n# end\n"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_random_valid_specs_format_stably(rng):
    text = _Gen(rng).file()
    out = _fmt(text)  # format_source itself re-parses and compares before returning
    assert strip(_tree(out)) == strip(_tree(text))
    assert _fmt(out) == out


# ---------------------------------------------------------------- run_fmt, format_file, unified_diff

UGLY = "gpu g {\n    memory=1 GiB   # one\n}\n"
PRETTY = "gpu g {\n  memory = 1 GiB                       # one\n}\n"


def _run(paths, check):
    out, err = io.StringIO(), io.StringIO()
    code = run_fmt([str(p) for p in paths], check=check, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_check_reports_a_diff_and_writes_nothing(tmp_path):
    f = tmp_path / "a.plan"
    f.write_text(UGLY)
    before = os.stat(f)
    code, out, err = _run([f], check=True)
    assert code == 1 and err == ""
    assert f"--- {f} (original)" in out and f"+++ {f} (formatted)" in out
    assert "-    memory=1 GiB   # one" in out and "+  memory = 1 GiB" in out
    assert f.read_text() == UGLY
    assert os.stat(f).st_mtime_ns == before.st_mtime_ns and os.stat(f).st_ino == before.st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.plan"]


def test_check_passes_on_a_formatted_file(tmp_path):
    f = tmp_path / "a.plan"
    f.write_text(PRETTY)
    assert _run([f], check=True) == (0, "", "")


def test_fmt_rewrites_atomically_and_only_when_needed(tmp_path):
    ugly, pretty = tmp_path / "ugly.plan", tmp_path / "pretty.plan"
    ugly.write_text(UGLY)
    pretty.write_text(PRETTY)
    os.chmod(ugly, 0o640)
    ugly_ino, pretty_stat = os.stat(ugly).st_ino, os.stat(pretty)
    code, out, err = _run([ugly, pretty], check=False)
    assert (code, err) == (0, "")
    assert ugly.read_text() == PRETTY
    assert os.stat(ugly).st_ino != ugly_ino           # a new file renamed over the old one
    assert os.stat(ugly).st_mode & 0o777 == 0o640     # with the old one's permissions
    assert os.stat(pretty).st_ino == pretty_stat.st_ino and os.stat(pretty).st_mtime_ns == pretty_stat.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pretty.plan", "ugly.plan"]  # no temporary left
    assert _run([ugly, pretty], check=True)[0] == 0


def test_a_failed_write_leaves_the_original_and_no_temporary(tmp_path, monkeypatch):
    f = tmp_path / "a.plan"
    f.write_text(UGLY)

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        _run([f], check=False)
    assert f.read_text() == UGLY
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.plan"]


def test_a_syntax_error_is_rendered_with_its_code_and_nothing_is_written(tmp_path):
    bad, ugly = tmp_path / "bad.plan", tmp_path / "ugly.plan"
    bad.write_text("gpu a {\n  memory: 1 GiB\n}\n")
    ugly.write_text(UGLY)
    for check in (True, False):
        code, out, err = _run([bad], check=check)
        assert code == 1 and out == ""
        assert "error[E0102]: unexpected character `:`" in err
        assert f"--> {bad}:2:9" in err and "memory: 1 GiB" in err
        assert bad.read_text() == "gpu a {\n  memory: 1 GiB\n}\n"
    code, out, err = _run([bad, ugly], check=False)   # the other files are still formatted
    assert code == 1 and ugly.read_text() == PRETTY


def test_a_missing_file_is_an_error(tmp_path):
    code, out, err = _run([tmp_path / "nope.plan"], check=True)
    assert code == 1 and out == ""
    assert "nope.plan" in err and "no such file" in err


def test_format_file_and_unified_diff(tmp_path):
    f = tmp_path / "a.plan"
    f.write_bytes(b"const a=1")  # no final newline
    formatted, original, diagnostics = format_file(str(f))
    assert (formatted, original, diagnostics.items) == ("const a = 1\n", "const a=1", [])
    diff = unified_diff(original, formatted, "a.plan")
    assert diff.splitlines() == ["--- a.plan (original)", "+++ a.plan (formatted)", "@@ -1 +1 @@",
                                 "-const a=1", "\\ No newline at end of file", "+const a = 1"]
    assert unified_diff(formatted, formatted, "a.plan") == ""
