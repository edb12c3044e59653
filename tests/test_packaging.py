"""The wheel ships the grammar, the catalog, the unit definitions, the schema and the templates."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    [path] = list(out.glob("capplan-*.whl"))
    return zipfile.ZipFile(path).namelist()


def test_wheel_contents(wheel):
    names = set(wheel)
    assert "capplan/grammar/capplan.lark" in names
    assert "capplan/units.txt" in names
    assert "capplan/schema/result.schema.json" in names
    assert {"capplan/catalog/gpus_nvidia.plan", "capplan/catalog/models_llama.plan",
            "capplan/catalog/precisions.plan"} <= names
    assert any(n.startswith("capplan/templates/") for n in names)
    assert "capplan/engine/training.py" in names and "capplan/cli.py" in names
    assert not any(n.startswith(("tests/", "validation/", "bench/")) for n in names)
