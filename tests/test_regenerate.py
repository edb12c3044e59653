"""validation/regenerate.py: one command regenerates (or checks) every published-vs-predicted table."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "validation"))
import regenerate as R  # noqa: E402

PUBLISHED = ROOT / "validation" / "published"


def test_every_table_in_the_directory_has_its_scorer_listed():
    tables = {p.stem for p in PUBLISHED.glob("*.json") if p.stem.endswith(("_vs_published", "_cross_validation"))}
    listed = set(R.SCORERS.values()) | set(R.CROSS_VALIDATION.values())
    assert tables == listed
    for stem in listed:
        assert (PUBLISHED / f"{stem}.md").exists()


def test_each_listed_scorer_writes_the_tables_it_is_listed_with():
    for scorer, stem in {**R.SCORERS, **R.CROSS_VALIDATION}.items():
        assert f'"{stem}.json"' in (ROOT / "validation" / scorer).read_text()


def test_check_passes_on_the_committed_tables():
    done = subprocess.run([sys.executable, "validation/regenerate.py", "--check"], cwd=ROOT, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("up to date") == len(R.SCORERS)


def test_a_stale_table_fails_the_check_and_is_named(monkeypatch, capsys):
    monkeypatch.setattr(R, "run", lambda scorer, check: 1 if scorer == "score_serving.py" else 0)
    assert R.main(["--check"]) == 1
    err = capsys.readouterr().err
    assert "serving_vs_published.json" in err and "training_vs_published" not in err


def test_the_cross_validation_runs_only_when_asked(monkeypatch):
    ran = []
    monkeypatch.setattr(R, "run", lambda scorer, check: ran.append(scorer) or 0)
    R.main([])
    assert "score_serving_cv.py" not in ran and len(ran) == len(R.SCORERS)
    ran.clear()
    R.main(["--cross-validation"])
    assert ran[-1] == "score_serving_cv.py"
