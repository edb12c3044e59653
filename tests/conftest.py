"""Shared test helpers: run the CLI in-process, golden files, spec files on disk."""

from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("CAPPLAN_UPDATE_GOLDENS") == "1"


def run_cli(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """Run `capplan ARGS` in-process; returns (exit code, stdout, stderr)."""
    from capplan.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def check_golden(path: Path, actual: str) -> None:
    """Compare with a golden file; CAPPLAN_UPDATE_GOLDENS=1 rewrites it."""
    if UPDATE or not path.exists():
        path.write_text(actual)
        if not UPDATE:
            pytest.fail(f"golden file {path} did not exist; written, review it")
        return
    expected = path.read_text()
    assert actual == expected, f"output differs from {path} (CAPPLAN_UPDATE_GOLDENS=1 to refresh)"


@pytest.fixture
def project(tmp_path: Path):
    """A project directory (capplan.toml marks its root) to write spec files into."""
    (tmp_path / "capplan.toml").write_text("")

    def write(name: str, text: str) -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        return p

    write.root = tmp_path
    return write


def compile_text(project, text: str, name: str = "main.plan"):
    from capplan.pipeline import compile_files

    project(name, text)
    old = os.getcwd()
    os.chdir(project.root)
    try:
        return compile_files([name])
    finally:
        os.chdir(old)


def report_markdown(project, text: str, name: str = "main.plan") -> str:
    """The Markdown report `capplan report` writes for a spec written into the project."""
    spec = project(name, text)
    out = project.root / "report.md"
    code, _, err = run_cli("report", str(spec), "-o", str(out), "--format", "md", cwd=project.root)
    assert code == 0, err
    return out.read_text()


def plan(comp, name: str) -> dict:
    for p in comp.plans:
        if p["name"] == name:
            return p
    raise KeyError(f"no plan {name}; diagnostics: {[d.message for d in comp.diagnostics.items]}")


@pytest.fixture(autouse=True)
def _no_columns(monkeypatch):
    """Terminal text is as wide as COLUMNS (issue 13): the tests render at the default, 100 columns, whatever
    the terminal they are started from; tests of the width set COLUMNS themselves."""
    monkeypatch.delenv("COLUMNS", raising=False)


def check_committed(script, name: str) -> None:
    """A validation script's committed output is what it writes now: its main() with --check returns 0."""
    import sys

    sys.argv, saved = [name, "--check"], sys.argv
    try:
        assert script.main() == 0, f"run: python validation/{name}"
    finally:
        sys.argv = saved
