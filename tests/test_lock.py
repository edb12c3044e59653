"""The environment is the one the lock describes, and the lock matches pyproject.toml.

`scripts/setup.sh` (and so `.ci/run`) installs requirements/test.txt with --require-hashes;
these tests fail when the environment running them has anything else — a newer release of a
dependency, a missing one, an extra one. The newest-versions lane (`scripts/check-latest.sh`)
deselects them with `-m "not lock"`: its environment is meant to differ.
"""

from __future__ import annotations

import re
import sys
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from conftest import ROOT

LOCKS = {name: ROOT / "requirements" / f"{name}.txt" for name in ("runtime", "lsp", "test")}

sys.path.insert(0, str(ROOT / "scripts"))
from lockfile import applicable, fingerprint, installed, pyproject_digest, read_lock  # noqa: E402


def declared(extras: tuple[str, ...]) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = [Requirement(r) for r in project["dependencies"]]
    for extra in extras:
        reqs += [Requirement(r) for r in project["optional-dependencies"][extra]]
    build = [Requirement(line) for line in (ROOT / "requirements" / "build.in").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    return reqs + build


@pytest.mark.lock
def test_the_environment_is_exactly_the_lock():
    lock = applicable(read_lock(LOCKS["test"]))
    have = installed()
    wrong = {n: (lock[n], have[n]) for n in lock.keys() & have.keys() if Version(lock[n]) != Version(have[n])}
    assert not wrong, f"installed versions differ from requirements/test.txt (locked, installed): {wrong}"
    assert not lock.keys() - have.keys(), f"locked but not installed: {sorted(lock.keys() - have.keys())}"
    assert not have.keys() - lock.keys(), f"installed but not locked: {sorted(have.keys() - lock.keys())}"


@pytest.mark.parametrize("name,extras", [("runtime", ()), ("lsp", ("lsp",)), ("test", ("test",))])
def test_each_lock_satisfies_pyproject_and_pins_every_file_by_hash(name, extras):
    entries = read_lock(LOCKS[name])
    assert len(entries) >= 20
    assert all(hashes >= 1 for *_, hashes in entries), "every locked package needs its hashes"
    versions: dict[str, list[str]] = {}
    for pkg, version, _, _ in entries:
        versions.setdefault(pkg, []).append(version)
    for req in declared(extras):
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        name_ = canonicalize_name(req.name)
        if name_ == "capplan":      # the dev extra names the test extra
            continue
        assert name_ in versions, f"{name}.txt lacks {req.name} (run: bash scripts/lock.sh)"
        for v in versions[name_]:
            assert req.specifier.contains(v, prereleases=True), (
                f"{name}.txt pins {req.name}=={v}, outside pyproject's {req.specifier} (run: bash scripts/lock.sh)")


def test_the_locks_were_refreshed_with_the_last_dependency_change():
    # requirements/inputs.sha256 is written by scripts/lock.sh from the ranges it resolved.
    recorded = (ROOT / "requirements" / "inputs.sha256").read_text().strip()
    assert recorded == fingerprint(), (
        "pyproject.toml's dependencies (or requirements/build.in) changed after the last lock refresh: "
        "run bash scripts/lock.sh and commit the locks with the change")


@pytest.mark.parametrize("name", sorted(LOCKS))
def test_each_lock_was_resolved_from_this_pyproject(name):
    # scripts/lock.sh writes the digest of the pyproject.toml it resolved into each lock's header: a change to
    # pyproject.toml (the package list too) is committed with the locks refreshed from it
    header = "".join(LOCKS[name].read_text(encoding="utf-8").splitlines(keepends=True)[:3])
    assert f"pyproject.toml sha256 {pyproject_digest()}" in header, (
        f"requirements/{name}.txt was not resolved from this pyproject.toml: run bash scripts/lock.sh and commit "
        "the locks with the change")


def test_the_locks_nest():
    runtime, lsp, test = (applicable(read_lock(LOCKS[n])) for n in ("runtime", "lsp", "test"))
    assert runtime.keys() <= lsp.keys() <= test.keys()
    # The same package at the same version in every environment the project creates.
    for pkg, version in runtime.items():
        assert lsp[pkg] == version == test[pkg], pkg


def test_setup_and_ci_install_from_the_lock_only():
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert "--require-hashes" in setup and 'LOCK="requirements/test.txt"' in setup
    assert "--no-build-isolation" in setup and "--only-binary :all:" in setup
    ci = (ROOT / ".ci" / "run").read_text()
    assert "bash scripts/setup.sh" in ci
    readme = (ROOT / "README.md").read_text()
    test_command = re.search(r"```sh\n(\.venv/bin/python -m pytest[^\n]*)\n```", readme).group(1)
    assert test_command in ci, "CI runs the README's test command"
