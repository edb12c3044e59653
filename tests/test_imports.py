"""Imports are hermetic: relative, confined to the project tree, cycle-checked."""

from __future__ import annotations

import os

from capplan.pipeline import compile_files

from conftest import compile_text

GPU = "gpu {name} {{ memory = 80 GiB; memory_bandwidth = 2 TB/s }}\n"


def codes(comp):
    return [d.code for d in comp.diagnostics.sorted()]


def test_relative_import_brings_declarations_into_scope(project):
    project("shared/hw.plan", GPU.format(name="lab"))
    comp = compile_text(project, 'import "shared/hw.plan"\ncluster c { gpu = lab }\n')
    assert codes(comp) == []
    assert comp.checked.objects["c"].gpu.name == "lab"


def test_import_cycle(project):
    project("a.plan", 'import "b.plan"\n' + GPU.format(name="ga"))
    project("b.plan", 'import "a.plan"\n' + GPU.format(name="gb"))
    comp = compile_text(project, 'import "a.plan"\n')
    assert codes(comp) == ["E0502"]
    assert "a.plan -> b.plan -> a.plan" in comp.diagnostics.items[0].notes[0]


def test_missing_import(project):
    comp = compile_text(project, 'import "nope.plan"\n')
    assert codes(comp) == ["E0501"]


def test_import_leaving_the_project_tree(project):
    comp = compile_text(project, 'import "../../etc/passwd"\n')
    assert codes(comp) == ["E0503"]


def test_absolute_import(project):
    comp = compile_text(project, 'import "/etc/passwd"\n')
    assert codes(comp) == ["E0504"]


def test_symlink_out_of_the_tree_is_refused(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.plan").write_text(GPU.format(name="secret"))
    os.symlink(outside / "secret.plan", project.root / "link.plan")
    comp = compile_text(project, 'import "link.plan"\n')
    assert codes(comp) == ["E0503"]


def test_diamond_imports_load_each_file_once(project):
    project("base.plan", GPU.format(name="g"))
    project("a.plan", 'import "base.plan"\n')
    project("b.plan", 'import "base.plan"\n')
    comp = compile_text(project, 'import "a.plan"\nimport "b.plan"\n')
    assert codes(comp) == []


def test_missing_entry_file(tmp_path):
    comp = compile_files([str(tmp_path / "missing.plan")])
    assert codes(comp) == ["E0505"]
