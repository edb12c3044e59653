"""The parser's fast path (capplan.lang.lalr) against Lark: the same AST or a hand-over, never another AST.

capplan.lang.parser parses a spec with the grammar's LALR tables (lalr_tables.py, written from
Lark's analysis) and hands anything those do not accept to Lark, which reports it. These tests
hold the two paths to one result: every spec shipped in the repository, and thousands of
mutations of them (characters deleted, duplicated, swapped, replaced), must give either the same
AST, spans and comments included, on both paths, or no AST from the fast path and a diagnostic
from Lark's. And the tables must be the ones the installed grammar and Lark give.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest

from capplan.core.diagnostics import Diagnostics
from capplan.core.limits import limits
from capplan.lang import lalr, lalr_export, parser

from conftest import ROOT

SPECS = sorted(p for pattern in ("compiler/catalog/*.plan", "specs/**/*.plan", "tests/**/*.plan", "bench/*.plan",
                                 "tests/golden/fmt/*.expected")
               for p in ROOT.glob(pattern) if p.is_file())


def _fast(text: str):
    return lalr.parse(text, "f.plan", parser.BUILD, limits().max_syntax_depth, parser._number_in_range)


def _with_lark(text: str):
    bag = Diagnostics()
    with parser._PARSE_LOCK:
        tree = parser._parse_with_lark(text, "f.plan", bag)
    return tree, bag


def _same(text: str) -> str:
    """'fast' or 'lark' (the path that answers); fails if the fast path answers otherwise than Lark."""
    fast = _fast(text)
    tree, bag = _with_lark(text)
    if fast is None:
        assert tree is None and bag.items or tree is not None, "unreachable"
        return "lark"
    assert tree is not None and not bag.items, f"the fast path accepted what Lark rejects: {bag.items[:1]}"
    items, comments = fast
    assert tuple(items) == tree.items
    assert tuple(parser.ast.Comment(t.value, parser._span("f.plan", t)) for t in comments) == tree.comments
    return "fast"


def test_the_tables_do_not_depend_on_the_hash_seed_or_lark_cache(tmp_path):
    """Lark numbers its parser states in the order of Python sets, which follows PYTHONHASHSEED
    when it builds the parser afresh (no cache file yet, as on a fresh CI machine): the export
    numbers them from the table alone, so two fresh processes with other seeds write the same file."""
    code = "import sys; from capplan.lang import lalr_export; sys.stdout.write(lalr_export.tables_source())"
    texts = set()
    for seed in ("1", "2"):
        cache = tmp_path / seed
        cache.mkdir()   # Lark's cache goes to tempfile.gettempdir(): an empty one per process
        env = {**os.environ, "PYTHONHASHSEED": seed, "TMPDIR": str(cache)}
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        texts.add(proc.stdout)
    assert len(texts) == 1


@pytest.mark.lock  # the tables' exact text depends on the Lark version that computed them
def test_the_tables_are_the_grammars():
    text = lalr_export.tables_source()
    shipped = (ROOT / "compiler" / "lang" / "lalr_tables.py").read_text(encoding="utf-8")
    assert text == shipped, "grammar or Lark changed: run `python -m capplan.lang.lalr_export`"


def test_a_spec_without_problems_never_imports_lark():
    code = ("import sys; from capplan.lang.parser import parse; from capplan.core.diagnostics import Diagnostics; "
            f"t = parse(open({str(ROOT / 'bench' / 'spec_200_lines.plan')!r}).read(), 'x', Diagnostics()); "
            "assert t is not None and t.items; print('lark' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("path", SPECS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_spec_parses_alike(path):
    text = path.read_bytes().decode("utf-8", errors="replace")  # one golden case is Latin-1 on purpose
    answered = _same(text)
    tree, bag = _with_lark(text)
    assert answered == ("fast" if tree is not None else "lark"), bag.items[:1]


def _mutations(text: str, rng: random.Random, count: int):
    alphabet = list(set(text)) + list(" \n\t;{}[]()=,.#\"-+*/<>!%^_aZ09\r'µ:")
    for _ in range(count):
        chars = list(text)
        for _ in range(rng.randint(1, 3)):
            if not chars:
                break
            i = rng.randrange(len(chars))
            op = rng.randrange(4)
            if op == 0:
                del chars[i]
            elif op == 1:
                chars.insert(i, chars[i])
            elif op == 2:
                j = rng.randrange(len(chars))
                chars[i], chars[j] = chars[j], chars[i]
            else:
                chars[i] = rng.choice(alphabet)
        yield "".join(chars)


def test_mutated_specs_parse_alike_or_go_to_lark():
    rng = random.Random(20240610)
    sources = [p.read_bytes().decode("utf-8", errors="replace") for p in SPECS if p.stat().st_size < 4000]
    answered = {"fast": 0, "lark": 0}
    for text in rng.sample(sources, min(len(sources), 25)):
        for mutated in _mutations(text, rng, 40):
            answered[_same(mutated)] += 1
    assert answered["fast"] > 100 and answered["lark"] > 100, answered  # both paths were exercised


@pytest.mark.parametrize("text", [
    "", "\n", "# only a comment", "# c\n\n# d\n", ";", "const x = 1\n", "const x = ((1))",
    "const x = -(-1 GiB) * 2 / 3 + 4\n", "const s = \"a\\\"b\\n\"\n", "const l = [\n  1,\n  2,\n]\n",
    "const l = [1, 2\n]", "model m {}\n", "model m { a = 1; b = 2 }", "model m from base.x for t {\n}\n",
    "training t {\n  require not fits or a >= 1 and (b < 2 or c != 3)\n}", "x y { w = int4 { group = 128 } }",
    "search s for t {\n  vary tensor in [1, 2]\n  minimize step_time\n}\n", "const x = 1\r\nconst y = 2\r\n",
    "const x = 1 GiB/s # rate\n", "const big = 1e99\n", "const n = 1_000_000.5e3 kW*h\n",
    "training t from b {\n  drop require fits\n  drop require peak_memory <= 40 GiB and not fits; x = 1\n}",
])
def test_edge_cases_parse_alike(text):
    _same(text)


def test_over_the_limits_goes_to_lark():
    deep = "const x = " + " + ".join(["1"] * 150) + "\n"  # 149 levels of `+`
    assert _fast(deep) is None and _same(deep) == "lark"
    huge = "const x = 1e999\n"
    assert _fast(huge) is None and _same(huge) == "lark"


def test_stale_tables_are_not_used(monkeypatch):
    from capplan.lang import lalr_tables

    text = (ROOT / "bench" / "spec_200_lines.plan").read_text(encoding="utf-8")
    monkeypatch.setattr(lalr_tables, "GRAMMAR_CRC32", lalr_tables.GRAMMAR_CRC32 ^ 1)
    parser._tables_current.cache_clear()
    calls = []
    monkeypatch.setattr(lalr, "parse", lambda *a: calls.append(a))
    try:
        tree = parser.parse(text, "f.plan", Diagnostics())
    finally:
        parser._tables_current.cache_clear()
    assert tree is not None and tree.items and not calls  # Lark parsed it; the tables were not consulted
