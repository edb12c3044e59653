"""Every diagnostic code, byte for byte: tests/golden/diagnostics/<CODE>-<name>[--<variant>]/.

Each case directory holds main.plan (and any files it imports), a capplan.toml
marking the project root, and expected.out: what `capplan check main.plan`
prints (stderr then stdout), paths relative to the case directory. A code has
one case named after it and may have variants (`E0601-requirement-failed--inherited`).
`capplan eval` prints the same diagnostics, source lines and carets included.
"""

from __future__ import annotations

import pytest

from capplan.core import limits
from capplan.core.codes import CODES

from conftest import GOLDEN, check_golden, run_cli

CASES = sorted(p for p in (GOLDEN / "diagnostics").iterdir() if p.is_dir())


def _case_limits(case, monkeypatch) -> None:
    """limits.env: NAME=VALUE lines lowering resource limits for this case (CAPPLAN_LIMIT_NAME)."""
    if (case / "limits.env").exists():
        for line in (case / "limits.env").read_text().split():
            name, _, value = line.partition("=")
            monkeypatch.setenv(f"CAPPLAN_LIMIT_{name}", value)
    limits.reset()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_diagnostic_golden(case, monkeypatch):
    _case_limits(case, monkeypatch)
    try:
        code, out, err = run_cli("check", "--color", "never", "main.plan", cwd=case)
    finally:
        monkeypatch.undo()
        limits.reset()
    expected_code = case.name.split("-")[0]
    assert f"[{expected_code}]" in err, err
    assert code == (0 if expected_code.startswith("W") else 1)
    assert "Traceback" not in err
    check_golden(case / "expected.out", err + out)
    printed = err.count("\nerror[") + err.startswith("error[")
    if "checked " in out:  # the summary counts what was printed
        assert (f": {printed} error{'s' if printed != 1 else ''}" in out) if printed else ": ok" in out, out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_eval_prints_the_diagnostics_check_prints(case, monkeypatch):
    _case_limits(case, monkeypatch)
    try:
        _, _, check_err = run_cli("check", "--color", "never", "main.plan", cwd=case)
        limits.reset()
        _, _, eval_err = run_cli("eval", "--color", "never", "main.plan", cwd=case)
    finally:
        monkeypatch.undo()
        limits.reset()
    assert eval_err == check_err


def test_every_code_has_a_golden_case():
    covered = {c.name.split("-")[0] for c in CASES}
    assert set(CODES) == covered, f"codes without a golden case: {sorted(set(CODES) - covered)}"


def test_every_case_is_named_after_its_code():
    for case in CASES:
        code, slug = case.name.split("--")[0].split("-", 1)
        assert CODES[code].slug == slug, case.name
