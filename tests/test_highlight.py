"""Syntax highlighting: the Pygments lexer (capplan.lang.highlight) and the TextMate grammar (editors/).

Every spec in the repository lexes without an Error token and without losing
a character; specific tokens get the expected types; the TextMate grammar is
valid JSON whose regexes compile, and a small TextMate interpreter below
checks that it scopes the repository's specs as the Pygments lexer does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytest.importorskip("pygments")

from pygments.token import Comment, Error, Keyword, Name, Number, Operator, String  # noqa: E402

from capplan.lang.highlight import KINDS, CapplanLexer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GRAMMAR = ROOT / "editors" / "capplan.tmLanguage.json"
SPECS = sorted([*(ROOT / "specs").rglob("*.plan"), *(ROOT / "compiler" / "catalog").glob("*.plan")])
ALL_PLANS = SPECS + [ROOT / "bench" / "spec_200_lines.plan"]

SAMPLE = '''# a comment
import "shared.plan"
const budget = 0.9 * 80 GiB
gpu lab_h100 from h100_sxm {
  memory = 80 GiB; memory_bandwidth = 3.35 TB/s
  name = "lab \\"H100\\""
}
cluster pod { gpu = lab_h100 }
training t {
  model = llama2_7b
  weights_fmt = int4 { group = 128 }
  parallel {
    schedule = 1f1b
    sequence_parallel = true
  }
  require peak_memory <= 0.9 * lab_h100.memory and fits
  require headroom >= 5 % or not fits
  require gpus <= 8 and fits
}
'''


def lex(text: str) -> list[tuple[object, str]]:
    return [(t, v) for _, t, v in CapplanLexer().get_tokens_unprocessed(text)]


def significant(text: str) -> list[tuple[object, str]]:
    return [(t, v) for t, v in lex(text) if v.strip()]


def test_spec_files_found():
    assert len(SPECS) >= 10
    assert any("catalog" in p.parts for p in SPECS) and any("examples" in p.parts for p in SPECS)


@pytest.mark.parametrize("path", ALL_PLANS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_spec_lexes_without_errors_and_round_trips(path: Path):
    text = path.read_text(encoding="utf-8")
    tokens = list(CapplanLexer().get_tokens_unprocessed(text))
    errors = [(i, v) for i, t, v in tokens if t in Error]
    assert not errors, f"error tokens in {path.name}: {errors[:5]}"
    assert "".join(v for _, _, v in tokens) == text
    # offsets are contiguous: no text skipped or repeated
    offset = 0
    for index, _, value in tokens:
        assert index == offset
        offset += len(value)
    # the public API too (it normalises only what we ask it to)
    lexer = CapplanLexer(stripnl=False, ensurenl=False)
    assert "".join(v for _, v in lexer.get_tokens(text)) == text


def test_broken_specs_round_trip():
    """The test suite's invalid specs (syntax errors included) lex without losing a character."""
    checked = 0
    for path in sorted((ROOT / "tests").rglob("*.plan")):
        if not path.is_file():  # the E0506 golden case imports a directory named shared.plan
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # the loader's own test of unreadable files
        assert "".join(v for _, v in lex(text)) == text, path
        checked += 1
    assert checked > 0


def test_sample_lexes_cleanly():
    assert not [v for t, v in lex(SAMPLE) if t in Error]
    assert "".join(v for _, v in lex(SAMPLE)) == SAMPLE


def test_comment():
    assert significant(SAMPLE)[0] == (Comment.Single, "# a comment")


def test_number_then_unit():
    toks = significant("gpu g {\n  memory = 80 GiB\n  bw = 3.35 TB/s\n  x = 5 %\n}\n")
    i = toks.index((Number.Integer, "80"))
    assert toks[i + 1] == (Keyword.Type, "GiB")
    j = toks.index((Number.Float, "3.35"))
    assert toks[j + 1] == (Keyword.Type, "TB/s")
    k = toks.index((Number.Integer, "5"))
    assert toks[k + 1] == (Keyword.Type, "%")


def test_units_only_right_after_a_number():
    toks = significant("const x = 100 GB / steps\n")
    assert (Keyword.Type, "GB") in toks
    assert (Name, "steps") in toks  # with spaces, `/` divides: `steps` is a name
    assert (Operator, "/") in toks
    # a keyword after a number is a keyword, as in the grammar
    toks = significant("training t {\n  require gpus <= 8 and fits\n}\n")
    assert toks[toks.index((Number.Integer, "8")) + 1] == (Keyword, "and")


def test_declaration_kinds_and_names():
    toks = significant(SAMPLE)
    assert (Keyword.Declaration, "gpu") in toks
    assert toks[toks.index((Keyword.Declaration, "gpu")) + 1] == (Name.Class, "lab_h100")
    assert (Keyword.Declaration, "training") in toks
    assert (Keyword.Declaration, "cluster") in toks
    # `gpu` inside a block is a field name, not a kind
    i = toks.index((Name.Class, "pod"))
    assert toks[i + 1][1] == "{" and toks[i + 2] == (Name.Attribute, "gpu")
    for kind in KINDS:
        assert significant(f"{kind} x {{\n}}\n")[0] == (Keyword.Declaration, kind)


def test_keywords():
    toks = significant(SAMPLE)
    assert (Keyword.Namespace, "import") in toks
    assert (Keyword.Declaration, "const") in toks
    assert toks[toks.index((Keyword.Declaration, "const")) + 1] == (Name.Constant, "budget")
    for word in ("from", "require", "and", "or", "not"):
        assert (Keyword, word) in toks, word
    assert (Keyword.Constant, "true") in toks
    search = significant("search s for t {\n  vary tensor in [1, 2]\n  minimize peak_memory\n}\n")
    for word in ("for", "vary", "in", "minimize"):
        assert (Keyword, word) in search, word
    assert (Keyword.Constant, "false") in significant("x = false\n")


def test_field_names_strings_and_references():
    toks = significant(SAMPLE)
    for field in ("memory", "memory_bandwidth", "name", "model", "parallel", "schedule", "group"):
        assert (Name.Attribute, field) in toks, field
    assert (String.Escape, '\\"') in toks
    assert (Name, "llama2_7b") in toks
    assert (Name, "1f1b") in toks                 # the schedule, not 1 + unit `f1b`
    assert (Name, "int4") in toks                 # a configured format value
    i = next(k for k, tok in enumerate(toks) if tok == (Name, "lab_h100") and toks[k + 1][1] == ".")
    assert toks[i + 2] == (Name.Attribute, "memory")
    assert (Operator, "<=") in toks and (Operator, ">=") in toks


def test_lexer_registration_attributes():
    assert CapplanLexer.name == "capplan"
    assert CapplanLexer.aliases == ["capplan", "plan"]
    assert CapplanLexer.filenames == ["*.plan"]


def test_pygments_finds_the_lexer_through_its_entry_point():
    from importlib.metadata import entry_points

    if not any(ep.value == "capplan.lang.highlight:CapplanLexer" for ep in entry_points(group="pygments.lexers")):
        pytest.skip("the pygments.lexers entry point is not installed (pip install -e . once it is declared)")
    from pygments.lexers import get_lexer_by_name, get_lexer_for_filename

    assert isinstance(get_lexer_by_name("capplan"), CapplanLexer)
    assert isinstance(get_lexer_by_name("plan"), CapplanLexer)
    assert isinstance(get_lexer_for_filename("llama.plan"), CapplanLexer)


def test_broken_input_never_raises():
    for text in ("gpu {", "}", 'x = "unterminated\nmodel m {', "a : 'b'", "1f1b 2e", "\r\n\t"):
        assert "".join(v for _, v in lex(text)) == text


# ------------------------------------------------------------------ TextMate

def load_grammar() -> dict:
    return json.loads(GRAMMAR.read_text(encoding="utf-8"))


EXPECTED_SCOPES = {
    "comment.line.number-sign.capplan", "string.quoted.double.capplan",
    "constant.character.escape.capplan", "constant.numeric.capplan", "keyword.other.unit.capplan",
    "storage.type.kind.capplan", "entity.name.type.capplan", "storage.type.const.capplan",
    "variable.other.constant.capplan", "keyword.control.import.capplan", "keyword.control.capplan",
    "keyword.operator.logical.capplan", "constant.language.boolean.capplan",
    "entity.other.attribute-name.capplan", "variable.other.property.capplan",
    "keyword.operator.comparison.capplan", "keyword.operator.assignment.capplan",
    "keyword.operator.arithmetic.capplan", "punctuation.section.block.begin.capplan",
    "punctuation.section.block.end.capplan",
}


def _scope_names(node) -> set[str]:
    out = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("name", "contentName") and isinstance(value, str):
                out.add(value)
            else:
                out |= _scope_names(value)
    elif isinstance(node, list):
        for item in node:
            out |= _scope_names(item)
    return out


def _regexes(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("match", "begin", "end") and isinstance(value, str):
                yield value
            else:
                yield from _regexes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _regexes(item)


def test_textmate_grammar_is_valid_json_with_expected_scopes():
    grammar = load_grammar()
    assert grammar["scopeName"] == "source.capplan"
    assert grammar["fileTypes"] == ["plan"]
    names = _scope_names(grammar["patterns"]) | _scope_names(grammar["repository"])
    missing = EXPECTED_SCOPES - names
    assert not missing, missing
    assert all(n.endswith(".capplan") for n in names)
    for regex in _regexes(grammar):
        re.compile(regex)  # the subset used is common to Oniguruma and Python
    # every include names a repository entry
    for ref in re.findall(r'"include":\s*"#([^"]+)"', GRAMMAR.read_text()):
        assert ref in grammar["repository"], ref


def test_vscode_extension_manifest():
    manifest = json.loads((ROOT / "editors" / "package.json").read_text())
    (lang,) = manifest["contributes"]["languages"]
    assert lang["extensions"] == [".plan"]
    (gram,) = manifest["contributes"]["grammars"]
    assert gram["scopeName"] == "source.capplan" and gram["path"] == "./capplan.tmLanguage.json"
    config = json.loads((ROOT / "editors" / "language-configuration.json").read_text())
    assert config["comments"]["lineComment"] == "#"


class TextMate:
    """Just enough of a TextMate tokenizer (match, begin/end, captures, include) for the tests."""

    def __init__(self, grammar: dict):
        self.grammar = grammar
        self.repo = grammar["repository"]
        self._cache: dict[str, re.Pattern] = {}

    def rx(self, text: str) -> re.Pattern:
        if text not in self._cache:
            self._cache[text] = re.compile(text)
        return self._cache[text]

    def flatten(self, patterns: list) -> list[dict]:
        out = []
        for p in patterns:
            if "include" in p:
                ref = p["include"]
                target = {"patterns": self.grammar["patterns"]} if ref == "$self" else self.repo[ref[1:]]
                if "match" in target or "begin" in target:
                    out.append(target)
                else:
                    out += self.flatten(target["patterns"])
            elif "match" in p or "begin" in p:
                out.append(p)
            else:
                out += self.flatten(p.get("patterns", []))
        return out

    @staticmethod
    def paint(scopes, m: re.Match, captures: dict | None) -> None:
        for key, cap in (captures or {}).items():
            g = int(key)
            if m.group(g) is None:
                continue
            for i in range(m.start(g), m.end(g)):
                scopes[i].append(cap["name"])

    def tokenize(self, text: str) -> list[tuple[str, list[str]]]:
        """Per character: (char, scopes)."""
        stack: list[dict] = []
        out = []

        def names() -> list[str]:
            return [r["name"] for r in stack if "name" in r]

        for line in text.split("\n"):
            scopes: list[list[str]] = [[] for _ in line]
            pos = 0
            while pos < len(line):
                rule = stack[-1] if stack else None
                patterns = self.flatten(rule.get("patterns", []) if rule else self.grammar["patterns"])
                best, best_rule = None, None
                if rule is not None:
                    best = self.rx(rule["end"]).search(line, pos)
                    best_rule = "end" if best else None
                for p in patterns:
                    m = self.rx(p.get("match") or p["begin"]).search(line, pos)
                    if m and (best is None or m.start() < best.start()):
                        best, best_rule = m, p
                if best is None:
                    break
                for i in range(pos, best.start()):
                    scopes[i] = names()
                if best_rule == "end":
                    for i in range(best.start(), best.end()):
                        scopes[i] = names()
                    self.paint(scopes, best, rule.get("endCaptures"))
                    stack.pop()
                else:
                    own = [best_rule["name"]] if "name" in best_rule else []
                    for i in range(best.start(), best.end()):
                        scopes[i] = names() + own
                    if "match" in best_rule:
                        self.paint(scopes, best, best_rule.get("captures"))
                    else:
                        self.paint(scopes, best, best_rule.get("beginCaptures"))
                        stack.append(best_rule)
                if best.end() > pos:
                    pos = best.end()
                else:  # an empty match: the character is plain
                    scopes[pos] = names()
                    pos += 1
            for i in range(pos, len(line)):
                scopes[i] = names()
            while stack and self.rx(stack[-1]["end"]).match(line, len(line)):
                stack.pop()  # an end that matches at the end of the line (`$`: a string)
            out += list(zip(line, scopes)) + [("\n", [])]
        return out[:-1]


def scopes_of(chars, text: str, needle: str, nth: int = 0) -> list[str]:
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    return chars[at][1]


def test_textmate_scopes_on_sample():
    tm = TextMate(load_grammar())
    chars = tm.tokenize(SAMPLE)
    assert "".join(c for c, _ in chars) == SAMPLE

    def has(needle, scope, nth=0):
        found = scopes_of(chars, SAMPLE, needle, nth)
        assert scope in found, (needle, found)

    has("# a comment", "comment.line.number-sign.capplan")
    has("import", "keyword.control.import.capplan")
    has('"shared.plan"', "string.quoted.double.capplan")
    has("const", "storage.type.const.capplan")
    has("budget", "variable.other.constant.capplan")
    has("80 GiB", "constant.numeric.capplan")
    has("GiB", "keyword.other.unit.capplan")
    has("TB/s", "keyword.other.unit.capplan")
    has("% or", "keyword.other.unit.capplan")
    has("gpu lab", "storage.type.kind.capplan")
    has("lab_h100 from", "entity.name.type.capplan")
    has("from h100", "keyword.control.capplan")
    has("memory =", "entity.other.attribute-name.capplan")
    has("memory_bandwidth", "entity.other.attribute-name.capplan")
    has("gpu = lab", "entity.other.attribute-name.capplan")
    has("parallel", "entity.other.attribute-name.capplan")
    has("group", "entity.other.attribute-name.capplan")
    has('\\"H100', "constant.character.escape.capplan")
    has("require", "keyword.control.capplan")
    has("and fits", "keyword.operator.logical.capplan")
    has("true", "constant.language.boolean.capplan")
    has("<=", "keyword.operator.comparison.capplan")
    has(".memory and", "punctuation.accessor.capplan")
    has("memory and", "variable.other.property.capplan")
    assert "storage.type.kind.capplan" not in scopes_of(chars, SAMPLE, "gpu = lab")
    assert "keyword.other.unit.capplan" not in scopes_of(chars, SAMPLE, "and fits", 1)


# Pygments token -> the TextMate scope the same characters must carry
_SAME = [
    (Comment, {"comment.line.number-sign.capplan"}),
    (String, {"string.quoted.double.capplan"}),
    (Number, {"constant.numeric.capplan"}),
    (Keyword.Type, {"keyword.other.unit.capplan"}),
    (Name.Class, {"entity.name.type.capplan"}),
    (Name.Constant, {"variable.other.constant.capplan"}),
    (Name.Attribute, {"entity.other.attribute-name.capplan", "variable.other.property.capplan"}),
    (Keyword.Constant, {"constant.language.boolean.capplan"}),
    (Keyword.Namespace, {"keyword.control.import.capplan"}),
]


@pytest.mark.parametrize("path", ALL_PLANS, ids=lambda p: str(p.relative_to(ROOT)))
def test_textmate_agrees_with_pygments(path: Path):
    text = path.read_text(encoding="utf-8")
    chars = TextMate(load_grammar()).tokenize(text)
    assert len(chars) == len(text)
    for index, ttype, value in CapplanLexer().get_tokens_unprocessed(text):
        if not value.strip():
            continue
        if ttype in Keyword.Declaration:
            wanted = {"storage.type.kind.capplan"} if value in KINDS else {"storage.type.const.capplan"}
        else:
            wanted = next((scopes for t, scopes in _SAME if ttype in t), None)
        if wanted is None:
            continue
        for offset in range(index, index + len(value)):
            got = set(chars[offset][1])
            assert got & wanted, (f"{path.name}: {value!r} ({ttype}) at offset {index} has "
                                  f"{sorted(got)}, expected one of {sorted(wanted)}")
