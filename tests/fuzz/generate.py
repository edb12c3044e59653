"""Fuzz inputs for capplan: mutations of the shipped specs, and specs generated from the schema.

Deterministic: every input is a function of (seed, index), so a failure found in a
long run is reproduced by `python tests/fuzz/run.py --seed S --only INDEX`.
The hostile values are the classes of issue 12: huge and non-finite numbers,
unit-exponent bombs, long sums, deep nesting, hostile strings (workflow commands,
mentions, HTML, control characters), imports that try to leave the project.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from capplan.check.schema import (BLOCK, BOOL, COUNT, COUNTS, ENUM, FORMAT, FORMATS, FRACTION, KINDS, NUMBER,
    QUANTITY, REF, STRING)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted([*ROOT.glob("specs/**/*.plan"), *ROOT.glob("compiler/catalog/*.plan")])

NUMBERS = ["0", "-1", "1", "3", "0.5", "4096", "1e308", "1e309", "1e-320", "9" * 45, "1_000_000_000_000",
           "1e99", "1e100", "7e25", "2.5e-7", "65536", "1000000007", "0.0", ".5"]
UNITS = ["GiB", "GB", "TB/s", "TFLOP/s", "tokens", "tokens/s", "USD/h", "%", "s", "ms", "h", "W", "GiB^4",
         "GiB^5", "GiB^99999999999", "B*B*B*B*B*B*B*B*B", "bogus", "b", "Gb", "TFLOPs", "m^2", "req/s", "param"]
STRINGS = [r'"x\n::error file=a,line=1::pwned"', r'"%0A::add-mask::secret"', '"@everyone look"',
           '"<script>alert(1)</script>"', r'"\u001b[31mred"', '"\x1b[2J\x1b]0;title\x07"', '"a,b:c%d"',
           '"[link](javascript:alert(1))"', '"| table | break |"', '"`code` **bold**"', '""']
IMPORTS = ['import "/etc/passwd"', 'import "../../../etc/passwd.plan"', 'import "~/x.plan"', 'import "missing.plan"',
           'import "main.plan"', 'import "dev.plan"']
JUNK = list("{}[]()=:;,.+-*/<>!#\"'@\\\t") + ["\n", "\x00", "\x1b", "\u202e", "é", "require", "not", "and", "or",
                                               "from", "for", "vary", "in", "minimize", "import", "const"]
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|[0-9][0-9_]*(?:\.[0-9_]+)?(?:[eE][+-]?[0-9]+)?|'
                    r'[A-Za-z_][A-Za-z0-9_]*(?:[/*^][A-Za-z0-9_]+)*|\s+|.', re.S)


def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in SEEDS]


def long_sum(rng: random.Random) -> str:
    n = rng.choice([2, 50, 99, 150, 400, 1500])
    return " + ".join(rng.choice(["1", "2 GiB", "x", "(1)"]) for _ in range(n))


def nested(rng: random.Random) -> str:
    n = rng.choice([5, 60, 99, 120, 2000])
    open_, close = rng.choice([("(", ")"), ("[", "]"), ("-", ""), ("not ", "")])
    return open_ * n + "1" + close * n


def hostile_value(rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return rng.choice(NUMBERS)
    if kind == 1:
        return f"{rng.choice(NUMBERS)} {rng.choice(UNITS)}"
    if kind == 2:
        return rng.choice(STRINGS)
    if kind == 3:
        return long_sum(rng)
    if kind == 4:
        return nested(rng)
    return rng.choice(["true", "false", "[1, 2, 3]", "[]", "bf16", "int4 { group = 0 }", "x.y.z",
                       "llama3_1_70b.layers", "h100_sxm.memory * 1e99", "1 GiB / 0", "1e300 * 1e300 GiB"])


def mutate(text: str, rng: random.Random) -> str:
    """One to four random edits of a spec, at token or line level."""
    tokens = _TOKEN.findall(text)
    for _ in range(rng.randint(1, 4)):
        if not tokens:
            tokens = [""]
        op = rng.randrange(10)
        i = rng.randrange(len(tokens))
        tok = tokens[i]
        if op == 0 and tok[:1].isdigit():
            tokens[i] = rng.choice(NUMBERS)
        elif op == 1 and tok[:1].isalpha():
            tokens[i] = rng.choice(UNITS + [t for t in tokens if t[:1].isalpha()][:200])
        elif op == 2:
            tokens[i] = hostile_value(rng)
        elif op == 3:
            tokens.insert(i, rng.choice(JUNK))
        elif op == 4:
            del tokens[i]
        elif op == 5:  # a line-level edit: delete, duplicate or swap lines
            lines = "".join(tokens).split("\n")
            a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
            choice = rng.randrange(3)
            if choice == 0:
                del lines[a]
            elif choice == 1:
                lines.insert(a, lines[b])
            else:
                lines[a], lines[b] = lines[b], lines[a]
            tokens = _TOKEN.findall("\n".join(lines))
        elif op == 6 and tokens[i].strip() and i + 2 < len(tokens):
            # replace the value after an `=` on this line
            line_end = next((j for j in range(i, len(tokens)) if "\n" in tokens[j]), len(tokens))
            eq = next((j for j in range(i, line_end) if tokens[j] == "="), None)
            if eq is not None:
                tokens[eq + 1:line_end] = [" ", hostile_value(rng)]
        elif op == 7:
            tokens.insert(0, rng.choice(IMPORTS) + "\n")
        elif op == 8:
            tokens.insert(i, f"\nrequire {rng.choice(['fits', 'peak_memory <= 1 GiB', 'not fits', long_sum(rng)])}\n")
        else:
            tokens[i] = tok * rng.choice([2, 3, 50])
    return "".join(tokens)


_CATALOG_NAMES = {"gpu": ["h100_sxm", "a100_80gb", "h200", "mi300x"], "model": ["llama3_1_70b", "llama2_13b",
                  "gpt2_small", "bare"], "precision": ["megatron_bf16"], "cluster": ["g"], "training": ["t"],
                  "inference": ["i"]}


def _value(field, rng: random.Random, depth: int = 0) -> str:
    if rng.random() < 0.15:
        return hostile_value(rng)
    if field.type == BLOCK and field.block is not None and depth < 3:
        return _block(field.block.fields, rng, depth + 1)
    if field.example and rng.random() < 0.6:
        return field.example
    if field.type == QUANTITY:
        return f"{rng.choice(NUMBERS[:8])} {rng.choice(UNITS[:12])}"
    if field.type in (COUNT, NUMBER):
        return rng.choice(["1", "2", "8", "64", "0", "-3", "2.5", "1e12"])
    if field.type == FRACTION:
        return rng.choice(["0.5", "90 %", "150 %", "0", "-0.1"])
    if field.type == BOOL:
        return rng.choice(["true", "false"])
    if field.type == ENUM:
        return rng.choice(list(field.choices) + ["nonsense"])
    if field.type == REF:
        return rng.choice(_CATALOG_NAMES.get(field.ref_kind or "", ["x"]))
    if field.type == STRING:
        return rng.choice(STRINGS)
    if field.type == FORMAT:
        return rng.choice(list(FORMATS)) + rng.choice(["", " { group = 128 }", " { group = 0 }"])
    if field.type == COUNTS:
        return rng.choice(["[10, 10, 12]", "[]", "[0]", "[1e309]"])
    return "1"


def _block(fields: dict, rng: random.Random, depth: int) -> str:
    names = list(fields)
    chosen = rng.sample(names, k=min(len(names), rng.randint(1, 12)))
    body = "\n".join(f"{'  ' * depth}{n} = {_value(fields[n], rng, depth)}"
                     if fields[n].type != BLOCK else f"{'  ' * depth}{n} {_value(fields[n], rng, depth)}"
                     for n in chosen)
    return "{\n" + body + "\n" + "  " * (depth - 1) + "}"


def generate(rng: random.Random) -> str:
    """A spec built from the schema: mostly well-typed declarations, with hostile values mixed in."""
    parts = []
    if rng.random() < 0.2:
        parts.append(rng.choice(IMPORTS))
    if rng.random() < 0.25:  # a bare parameter count: no architecture for the engine to use
        parts.append("model bare { params = 7 Gparam }")
    if rng.random() < 0.3:
        parts.append(f"const x = {hostile_value(rng)}")
    for kind in rng.sample(["gpu", "cluster", "model", "precision", "training", "inference"], k=rng.randint(1, 4)):
        name = _CATALOG_NAMES[kind][0] if kind in ("cluster", "training", "inference") else f"my_{kind}"
        base = f" from {rng.choice(_CATALOG_NAMES[kind])}" if rng.random() < 0.3 else ""
        body = _block(KINDS[kind].fields, rng, 1)
        if kind in ("training", "inference") and rng.random() < 0.7:
            body = body[:-1] + f"  require {rng.choice(['fits', 'not fits', 'peak_memory <= 80 GiB'])}\n}}"
        parts.append(f"{kind} {name}{base} {body}")
    if rng.random() < 0.3:
        parts.append("search s for t {\n  vary tensor in [1, 2, 4, 8]\n  vary pipeline in [1, 2, 4]\n"
                     "  minimize step_time\n}")
    if rng.random() < 0.2:
        parts.append(f"goal g for {rng.choice(['i', 't'])} {{\n  gpus = [a100_80gb, h100_sxm]\n  minimize cost\n}}")
    return "\n\n".join(parts) + "\n"


def make_input(seed: int, index: int, seeds: list[str]) -> str:
    rng = random.Random(f"{seed}:{index}")
    if rng.random() < 0.5:
        return mutate(rng.choice(seeds), rng)
    return generate(rng)
