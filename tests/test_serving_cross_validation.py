"""The serving simulation's cross-validated error (validation/score_serving_cv.py): each source of published
serving figures scored at the constants fitted on the other sources only.

Independent source: the published figures of validation/published/corpus/serving.json. The committed file is
too slow to regenerate in a test (every record at every point of the fit's grid); these tests hold it to the
corpus it was made from and re-simulate a record of each model it holds at its fold's constants, so a change to
the engine or the corpus that moves its numbers fails here until the file is regenerated.
"""

from __future__ import annotations

import hashlib
import json
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "validation"))
import score_serving as ss  # noqa: E402
import score_serving_cv as cv  # noqa: E402

DOC = json.loads(cv.OUT_JSON.read_text())
RECORDS = {r["id"]: r for r in json.loads(ss.CORPUS.read_text())["records"]}


def test_made_from_the_committed_corpus():
    assert DOC["corpus_sha256"] == hashlib.sha256(ss.CORPUS.read_bytes()).hexdigest(), (
        "run `python validation/score_serving_cv.py` and commit the result")


def test_each_source_is_held_out_once_and_fitted_on_the_others():
    assert [f["held_out"] for f in DOC["folds"]] == list(cv.SOURCES)
    for fold in DOC["folds"]:
        p = fold["fitted"]
        assert p["iteration_overhead_us"] in ss.GRID_OVERHEAD_US
        assert p["serving_matmul_efficiency"] in ss.GRID_EFFICIENCY
        assert p["allreduce_wait_us"] in ss.GRID_WAIT_US
        assert p["sequence_overhead_us"] in ss.GRID_SEQUENCE_US
        assert p["request_overhead_us"] in ss.GRID_REQUEST_US
        assert fold["rows"] and all(r["campaign"] in fold["campaigns"] for r in fold["rows"])
        assert sum(s["n"] for s in fold["summary"].values() if s) == sum(len(r["figures"]) for r in fold["rows"])


@pytest.mark.parametrize("fold", DOC["folds"], ids=[f["held_out"] for f in DOC["folds"]])
def test_held_out_records_re_simulate_to_the_committed_errors(fold):
    p = fold["fitted"]
    fitted = ss.fitted_of((p["iteration_overhead_us"], p["serving_matmul_efficiency"], p["allreduce_wait_us"],
                           p["sequence_overhead_us"], p["request_overhead_us"]))
    sample, models = [fold["rows"][-1]], set()
    for row in fold["rows"]:   # the first record of each model, and the last record
        model = RECORDS[row["id"]]["model"]["catalog"]
        if model not in models:
            models.add(model)
            sample.append(row)
    for row in sample:
        rec = RECORDS[row["id"]]
        now = {f["quantity"]: f["error"] for f in ss.scored_figures(rec, ss.predict(rec, fitted))}
        for f in row["figures"]:
            assert now[f["quantity"]] == pytest.approx(f["error"], rel=1e-9, abs=1e-12), (row["id"], f["quantity"])
