"""Installation paths users take, each exercised: a `python -m build` wheel that carries every
module and data file (grammar, catalog, units, schema, templates, locale catalogs) and runs
outside the repository, and `pip install` from a git URL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

# Source folders and the installed package they become (pyproject.toml's package-dir).
SOURCE_ROOTS = {"compiler": "capplan", "grammar": "capplan/grammar", "templates": "capplan/templates"}
SHIPPED_SUFFIXES = {".py", ".lark", ".plan", ".txt", ".json", ".j2", ".css", ".po", ".pot", ".mo"}
SPEC = "specs/seeds/002-13b-megatron-pipeline.plan"


def _tracked_sources() -> list[str]:
    if shutil.which("git") and (ROOT / ".git").exists():
        out = subprocess.run(["git", "ls-files", *SOURCE_ROOTS], cwd=ROOT, capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.split()
    return [str(p.relative_to(ROOT)) for folder in SOURCE_ROOTS for p in (ROOT / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts]


def _installed_name(source: str) -> str:
    top, _, rest = source.partition("/")
    return f"{SOURCE_ROOTS[top]}/{rest}"


@pytest.fixture(scope="module")
def wheel_path(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # --no-isolation: built by the locked setuptools of this environment, nothing fetched.
    proc = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out),
                           str(ROOT)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "BuildBackendWarning" not in proc.stderr + proc.stdout, "pyproject.toml makes setuptools warn"
    [path] = list(out.glob("capplan-*.whl"))
    return path


def test_wheel_carries_every_module_and_data_file(wheel_path):
    names = set(zipfile.ZipFile(wheel_path).namelist())
    wanted = [s for s in _tracked_sources() if Path(s).suffix in SHIPPED_SUFFIXES]
    assert len(wanted) > 60
    missing = [s for s in wanted if _installed_name(s) not in names]
    assert not missing, f"not in the wheel: {missing}"
    for must in ("capplan/grammar/capplan.lark", "capplan/check/units.txt", "capplan/schema/result.schema.json",
                 "capplan/catalog/gpus_nvidia.plan", "capplan/templates/report.html.j2",
                 "capplan/templates/locale/zh/LC_MESSAGES/capplan.mo"):
        assert must in names
    assert not any(n.startswith(("tests/", "validation/", "bench/", "specs/")) for n in names)


def test_wheel_metadata_declares_licence_and_entry_points(wheel_path):
    with zipfile.ZipFile(wheel_path) as zf:
        meta = zf.read(next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))).decode()
        entry = zf.read(next(n for n in zf.namelist() if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert "License-Expression: Apache-2.0" in meta
    assert "Requires-Python: >=3.11" in meta
    assert "capplan = capplan.cli:main" in entry


def _run_installed(site: Path | None, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m capplan ARGS` from the package installed in `site`, or from this environment's
    own (editable) install when `site` is None."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    if site is not None:
        env["PYTHONPATH"] = str(site)
    return subprocess.run([sys.executable, "-m", "capplan", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def _install(target: Path, requirement: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                           "--no-compile", "--target", str(target), requirement],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]


def _same_answer_as_the_checkout(site: Path, tmp_path: Path) -> None:
    # Outside the repository, the installed package finds its grammar, catalog, units and
    # templates, and evaluates a shipped spec exactly as the checkout does.
    spec = tmp_path / "work" / Path(SPEC).name
    spec.parent.mkdir()
    shutil.copy(ROOT / SPEC, spec)
    probe = subprocess.run([sys.executable, "-c", "import capplan; print(capplan.__file__)"],
                           env=dict(os.environ, PYTHONPATH=str(site)), capture_output=True, text=True)
    assert Path(probe.stdout.strip()).is_relative_to(site), probe.stdout
    installed = _run_installed(site, spec.parent, "eval", "--format", "json", spec.name)
    assert installed.returncode == 0, installed.stderr
    checkout = _run_installed(None, spec.parent, "eval", "--format", "json", spec.name)
    assert checkout.returncode == 0, checkout.stderr
    assert installed.stdout == checkout.stdout
    report = _run_installed(site, spec.parent, "report", spec.name, "-o", "r.html", "--format", "html")
    assert report.returncode == 0, report.stderr
    assert "<html" in (spec.parent / "r.html").read_text(encoding="utf-8")[:200].lower()


def test_a_built_wheel_runs_outside_the_repository(wheel_path, tmp_path):
    site = tmp_path / "site"
    _install(site, str(wheel_path))
    _same_answer_as_the_checkout(site, tmp_path)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pip_install_from_a_git_url(tmp_path):
    # `pip install "capplan @ git+https://…@TAG"` (the README's and the example workflow's way),
    # exercised on a local clone of this repository's HEAD.
    clone = tmp_path / "capplan.git"
    proc = subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(clone)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    site = tmp_path / "site"
    # file://localhost/…: older pips (24.0) reject a host-less file:///… in a `name @ url` requirement.
    _install(site, f"capplan @ git+file://localhost{clone}")
    probe = subprocess.run([sys.executable, "-m", "capplan", "--version"],
                           env=dict(os.environ, PYTHONPATH=str(site)), capture_output=True, text=True)
    assert probe.returncode == 0 and probe.stdout.startswith("capplan "), probe.stderr
    assert (site / "capplan" / "grammar" / "capplan.lark").is_file()
    assert (site / "capplan" / "templates" / "locale" / "zh" / "LC_MESSAGES" / "capplan.mo").is_file()
