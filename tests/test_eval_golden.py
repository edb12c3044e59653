"""Today's behaviour, frozen: the `eval --format json` output of every shipped spec and the
catalog's JSON listing. A change to the engine, checker or catalog that moves any figure fails
here; refresh with CAPPLAN_UPDATE_GOLDENS=1 and justify every difference in the commit.

Numbers are compared to 1e-9 relative (not bytes), so a numpy or Python release that changes a
last bit of a float does not fail the test; everything else — keys, strings, order of lists —
must be identical.
"""

from __future__ import annotations

import json
import math

import pytest

from conftest import GOLDEN, ROOT, UPDATE, run_cli

SPECS = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "specs").rglob("*.plan"))
GOLDEN_DIR = GOLDEN / "eval"


def _differences(expected, actual, path="$"):
    if isinstance(expected, bool) or isinstance(actual, bool):
        if expected is not actual:
            yield f"{path}: {expected!r} -> {actual!r}"
    elif isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        if not math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-12):
            yield f"{path}: {expected!r} -> {actual!r}"
    elif isinstance(expected, dict) and isinstance(actual, dict):
        for key in expected.keys() | actual.keys():
            if key not in actual:
                yield f"{path}.{key}: removed"
            elif key not in expected:
                yield f"{path}.{key}: added"
            else:
                yield from _differences(expected[key], actual[key], f"{path}.{key}")
    elif isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            yield f"{path}: {len(expected)} items -> {len(actual)}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            yield from _differences(e, a, f"{path}[{i}]")
    elif expected != actual:
        yield f"{path}: {expected!r} -> {actual!r}"


def _check(name: str, text: str) -> None:
    path = GOLDEN_DIR / name
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"golden file {path} did not exist; written, review it")
        return
    diffs = list(_differences(json.loads(path.read_text(encoding="utf-8")), json.loads(text)))
    assert not diffs, f"{len(diffs)} differences from {path.name}:\n" + "\n".join(diffs[:40])


def test_every_shipped_spec_is_covered():
    assert len(SPECS) >= 10
    assert {p.split("/")[1] for p in SPECS} >= {"examples", "seeds", "shared"}


@pytest.mark.parametrize("spec", SPECS)
def test_eval_json_of_every_shipped_spec(spec):
    code, out, err = run_cli("eval", "--format", "json", spec, cwd=ROOT)
    assert code in (0, 1), err
    _check(spec.replace("/", "__").removesuffix(".plan") + ".json", out)


def test_eval_json_of_every_catalog_model():
    # One training and one serving plan per catalog model (tests/data/catalog_plans/).
    spec = "tests/data/catalog_plans/catalog_models.plan"
    text = (ROOT / spec).read_text(encoding="utf-8")
    code, listing, _ = run_cli("catalog", "--kind", "model", "--format", "json", cwd=ROOT)
    assert code == 0
    for model in json.loads(listing):
        assert f"model        = {model['name']}\n" in text, f"{model['name']} has no plan in {spec}"
    code, out, err = run_cli("eval", "--format", "json", spec, cwd=ROOT)
    assert code in (0, 1), err
    _check("catalog_models.json", out)


@pytest.mark.parametrize("kind", ["gpu", "model", "precision"])
def test_catalog_json(kind):
    code, out, err = run_cli("catalog", "--kind", kind, "--format", "json", cwd=ROOT)
    assert code == 0, err
    _check(f"catalog-{kind}.json", out)


def test_the_comparison_catches_a_moved_figure():
    golden = {"plans": [{"peak": 66.09, "fits": True, "name": "a"}]}
    assert not list(_differences(golden, {"plans": [{"peak": 66.09 * (1 + 1e-12), "fits": True, "name": "a"}]}))
    assert list(_differences(golden, {"plans": [{"peak": 66.10, "fits": True, "name": "a"}]}))
    assert list(_differences(golden, {"plans": [{"peak": 66.09, "fits": 1, "name": "a"}]}))
    assert list(_differences(golden, {"plans": [{"peak": 66.09, "fits": True}]}))
