"""`from` carries the base's `require` lines; `drop require CONDITION` leaves one out (issue 15, item 7).

Also the papercuts found beside it: source lines counted as the parser counts them (a form feed or
U+2028 in a comment does not end a line), `capplan report` counting the errors it printed, and a
bare-parameter-count model where an architecture is needed.
"""

from __future__ import annotations

from capplan.core.diagnostics import Diagnostics
from capplan.core.source import SourceFile
from capplan.lang import ast
from capplan.lang.formatter import format_source
from capplan.lang.lexer import Kind, tokenize
from capplan.lang.parser import parse

from conftest import compile_text, run_cli

BASE = """\
training base {
  model        = llama2_7b
  gpu          = h100_sxm
  gpus         = 8
  precision    = megatron_bf16
  seq_len      = 4096 tokens
  global_batch = 64
  parallel { zero = 3 }
  require peak_memory <= 60 GiB
  require fits
}
"""


def _requirements(comp, plan: str) -> list[tuple[str, bool]]:
    return [(r["text"], r["ok"]) for p in comp.plans if p["name"] == plan for r in p["requirements"]]


def test_a_derived_plan_inherits_the_base_requirements(project):
    comp = compile_text(project, BASE + "training same from base { micro_batch = 1 }\n")
    assert _requirements(comp, "same") == [("peak_memory <= 60 GiB", True), ("fits", True)]
    assert not comp.diagnostics.items


def test_an_inherited_failure_is_reported_at_the_derived_plan(project):
    comp = compile_text(project, BASE + "training big from base {\n  micro_batch = 4\n}\n")
    failed = [d for d in comp.diagnostics.items if d.code == "E0601"]
    assert len(failed) == 2
    for d in failed:
        assert (d.span.line, d.span.column) == (12, 10)          # `big`, not the base's line
        assert [lab.span.line for lab in d.secondary] in ([9], [10])  # the base's `require` line beside it
        assert "inherits this requirement from `base`" in d.notes[0]


def test_drop_require_leaves_out_the_condition_written_alike(project):
    text = BASE + ("training relaxed from base {\n  micro_batch = 4\n"
                   "  drop require peak_memory<=60.0 GiB\n  drop require fits\n  require not fits\n}\n")
    comp = compile_text(project, text)
    assert _requirements(comp, "relaxed") == [("not fits", True)]
    assert not comp.diagnostics.errors


def test_drop_reaches_through_two_levels_of_from(project):
    text = BASE + ("training mid from base { micro_batch = 1 }\n"
                   "training leaf from mid {\n  drop require fits\n}\n")
    comp = compile_text(project, text)
    assert _requirements(comp, "leaf") == [("peak_memory <= 60 GiB", True)]
    assert _requirements(comp, "mid") == [("peak_memory <= 60 GiB", True), ("fits", True)]


def test_a_drop_that_matches_nothing_is_e0605(project):
    comp = compile_text(project, BASE + "training t2 from base {\n  drop require peak_memory <= 50 GiB\n}\n")
    assert [d.code for d in comp.diagnostics.errors] == ["E0605"]
    comp = compile_text(project, "training lone {\n  drop require fits\n}\n")
    assert "E0605" in {d.code for d in comp.diagnostics.errors}


def test_drop_in_a_search_or_goal_is_e0605_not_a_crash(project):
    text = BASE + ("search s for base {\n  drop require fits\n}\n"
                   "goal g for base {\n  gpus = [h100_sxm]\n  within = 30 days\n  drop require fits\n}\n")
    comp = compile_text(project, text)
    assert [d.code for d in comp.diagnostics.errors].count("E0605") == 2


def test_drop_require_parses_prints_and_highlights():
    text = "training t from b {\n  drop require peak_memory <= 40 GiB and fits\n}\n"
    tree = parse(text, "x.plan", Diagnostics())
    (entry,) = tree.items[0].body.entries
    assert isinstance(entry, ast.DropRequire) and isinstance(entry.condition, ast.Conjunction)
    formatted, diags = format_source(text)
    assert formatted == text and not diags.items
    keywords = [t.text for t in tokenize(text) if t.kind is Kind.KEYWORD]
    assert keywords[:3] == ["from", "drop", "require"]


def test_source_lines_are_counted_as_the_parser_counts_them():
    text = "# a\x0cb\u2028c\nsecond\r\nthird"
    src = SourceFile("x.plan", text)
    assert [src.line_text(n) for n in (1, 2, 3, 4)] == ["# a\x0cb\u2028c", "second", "third", ""]


def test_report_counts_the_errors_it_printed(project):
    project("main.plan", BASE.replace("peak_memory <= 60 GiB", "peak_memory <= 1 GiB").replace(
        "  gpus ", "  bogus = 1\n  gpus "))
    code, _out, err = run_cli("report", "--color", "never", str(project.root / "main.plan"), cwd=project.root)
    printed = err.count("error[")
    assert code == 1 and printed == 2, err
    assert "the specs have 2 errors" in err


def test_a_bare_count_model_names_what_serving_figures_need(project):
    text = ("model rough { params = 13 Gparam }\n"
            "inference s {\n  model = rough; gpu = h100_sxm; gpus = 1; weights = bf16\n"
            "  context = 4096 tokens\n  require max_context >= 4096 tokens\n}\n")
    comp = compile_text(project, text)
    (d,) = comp.diagnostics.errors
    assert d.code == "E0604"
    assert "`layers`, `hidden`, `heads`, `vocab`, `ffn`" in d.notes[0]
    assert "Traceback" not in str(d.message)
