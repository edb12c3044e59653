"""Run Megatron-Core's own pipeline schedules on one CPU process and record, per pipeline rank,
the largest number of micro-batches (model-chunk forwards) whose activations the rank holds.

Source run: megatron-core 0.16.1 (the PyPI wheel, unpacked; its directory is the first argument
or $MCORE_DIR), `megatron/core/pipeline_parallel/schedules.py`:
`forward_backward_pipelining_without_interleaving` (1F1B) and
`forward_backward_pipelining_with_interleaving` (interleaved 1F1B, one model chunk per virtual
stage). Each rank's schedule is run by itself: the order of a rank's forward and backward steps
depends only on (pipeline size, rank, model chunks, micro-batches), never on what its neighbours
send, so the point-to-point calls are replaced by a stand-in that returns nothing, and the module's
`forward_step` / `backward_step` by two recorders. A forward adds one held micro-batch (of one
model chunk), a backward releases one; the peak of that count is what the rank holds at once.
Nothing else in Megatron's code is changed: the warm-up count, the schedule table, the checks
on the number of micro-batches and the loop order are Megatron's own.

`torch.zeros(..., device="cuda")` in the schedules is redirected to the CPU by a
TorchFunctionMode; a one-process gloo group makes `torch.distributed.is_initialized()` true so
Megatron asks the stand-in process groups for their rank and size.

Run from the repository root:

    PYTHONPATH=/tmp/mcore /work/.venv-val/bin/python validation/megatron_schedule.py /tmp/mcore

Writes validation/data/megatron_schedule.json (sorted keys, indent 1).
"""

from __future__ import annotations

import glob
import hashlib
import os
import sys
import tempfile
import warnings

import torch
import torch.distributed as dist
from torch.overrides import TorchFunctionMode

import _provenance

SCRIPT = "validation/megatron_schedule.py"
PIPELINE = range(2, 17)
CHUNKS = range(1, 5)
MICROBATCHES = range(1, 65)


class _CPUOnly(TorchFunctionMode):
    """Megatron allocates its token counter with device="cuda"; put it on the CPU instead."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = dict(kwargs or {})
        if kwargs.get("device") == "cuda":
            kwargs["device"] = "cpu"
        return func(*args, **kwargs)


class _Group:
    """A pipeline process group as Megatron asks it: rank() and size()."""

    def __init__(self, rank: int, size: int):
        self._rank, self._size = rank, size

    def rank(self) -> int:
        return self._rank

    def size(self) -> int:
        return self._size


class _Comm:
    """Stands in for megatron.core.pipeline_parallel.p2p_communication.P2PCommunicator: every
    send/receive returns no tensor (and, for the overlapped variants, no wait handles)."""

    def __init__(self, group: _Group, config, vp: int | None):
        self.pp_group, self.config = group, config
        self.virtual_pipeline_model_parallel_size = vp

    def __getattr__(self, name):
        if not name.startswith(("send_", "recv_")):
            raise AttributeError(name)
        pair = name == "send_forward_backward_recv_forward_backward"  # (input, output grad)
        return lambda *a, **k: (None, {}) if k.get("overlap_p2p_comm") else ((None, None) if pair else None)


class _Groups:
    def __init__(self, pp: _Group):
        one = _Group(0, 1)
        self.tp, self.cp, self.pp, self.dp_cp = one, one, pp, one
        self.embd = self.pos_embd = None


class _Recorder:
    def __init__(self):
        self.held = self.peak = self.forwards = self.backwards = 0

    def forward_step(self, *args, **kwargs):
        self.held += 1
        self.forwards += 1
        self.peak = max(self.peak, self.held)
        return [torch.zeros(1)], torch.zeros([], dtype=torch.int)

    def backward_step(self, *args, **kwargs):
        self.held -= 1
        self.backwards += 1
        return None


def _model(config):
    chunk = torch.nn.Module()
    chunk.config = config
    from megatron.core.enums import ModelType

    chunk.model_type = ModelType.encoder_or_decoder
    return chunk


def run_rank(S, TransformerConfig, p: int, rank: int, v: int, m: int) -> dict:
    """One rank's schedule; returns its peak held count or Megatron's error."""
    config = TransformerConfig(num_layers=p * v, hidden_size=8, num_attention_heads=1,
                               pipeline_model_parallel_size=p,
                               virtual_pipeline_model_parallel_size=v if v > 1 else None,
                               pipeline_dtype=torch.float32)
    group = _Group(rank, p)
    comm = _Comm(group, config, v if v > 1 else None)
    rec = _Recorder()
    S.forward_step, S.backward_step = rec.forward_step, rec.backward_step
    fn = (S.forward_backward_pipelining_with_interleaving if v > 1
          else S.forward_backward_pipelining_without_interleaving)
    model = [_model(config) for _ in range(v)]
    try:
        fn(forward_step_func=None, data_iterator=[iter(()) for _ in range(v)], model=model,
           num_microbatches=m, seq_length=8, micro_batch_size=1, p2p_communicator=comm,
           pg_collection=_Groups(group))
    except (ValueError, RuntimeError) as exc:  # Megatron's own checks on m (interleaved)
        return {"error": f"{type(exc).__name__}: {exc}"}
    assert rec.held == 0 and rec.forwards == rec.backwards == m * v, (p, rank, v, m, vars(rec))
    total, all_warmup, warmup, remaining = S.get_pp_rank_microbatches(
        m, v, config.microbatch_group_size_per_vp_stage, p2p_communicator=comm)
    assert total == m * v and remaining == total - warmup, (p, rank, v, m)
    return {"peak_chunks": rec.peak, "warmup": warmup, "all_warmup": all_warmup,
            "group_size": config.microbatch_group_size_per_vp_stage}


def _point(p: int, v: int, m: int, ranks: list[dict]) -> dict:
    """One (p, v, m) point: Megatron's error (the same on every rank) or per-rank lists."""
    out = {"pipeline": p, "chunks": v, "microbatches": m}
    errors = {r.get("error") for r in ranks}
    if errors != {None}:
        assert len(errors) == 1, errors
        out["error"] = errors.pop()
        return out
    out["group_size"] = ranks[0]["group_size"]
    for key in ("peak_chunks", "warmup", "all_warmup"):
        out[key] = [r[key] for r in ranks]
    return out


def main() -> None:
    mcore = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("MCORE_DIR", "/tmp/mcore")
    sys.path.insert(0, mcore)
    warnings.simplefilter("ignore")
    import megatron.core
    from megatron.core.transformer import TransformerConfig
    from megatron.core.pipeline_parallel import schedules as S

    path = os.path.join(mcore, "megatron", "core", "pipeline_parallel", "schedules.py")
    with open(path, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()
    store = os.path.join(tempfile.mkdtemp(), "store")
    dist.init_process_group("gloo", init_method=f"file://{store}", rank=0, world_size=1)
    runs = []
    with _CPUOnly():
        for p in PIPELINE:
            for v in CHUNKS:
                for m in MICROBATCHES:
                    runs.append(_point(p, v, m, [run_rank(S, TransformerConfig, p, r, v, m) for r in range(p)]))
        print(f"{len(runs)} (p, v, m) points", file=sys.stderr)
    dist.destroy_process_group()
    wheel = sorted(glob.glob("/tmp/dl/megatron_core-*.whl"))
    payload = {
        "provenance": _provenance.provenance(SCRIPT),
        "megatron_core": {"version": megatron.core.__version__, "file": "megatron/core/pipeline_parallel/schedules.py",
                          "schedules_py_sha256": digest,
                          "wheel": os.path.basename(wheel[0]) if wheel else None,
                          "functions": ["forward_backward_pipelining_without_interleaving (chunks = 1)",
                                        "forward_backward_pipelining_with_interleaving (chunks > 1)",
                                        "get_pp_rank_microbatches (warmup, all_warmup, remaining)"]},
        "method": "each rank's schedule run alone on CPU; p2p communication replaced by a stand-in returning "
                  "no tensors; forward_step/backward_step replaced by recorders; peak_chunks = the largest number "
                  "of model-chunk forwards not yet matched by their backward; TransformerConfig defaults "
                  "(microbatch_group_size_per_vp_stage = pipeline size, no overlap_moe_expert_parallel_comm, "
                  "forward_only False)",
        "grid": {"pipeline": [PIPELINE.start, PIPELINE.stop - 1], "chunks": [CHUNKS.start, CHUNKS.stop - 1],
                 "microbatches": [MICROBATCHES.start, MICROBATCHES.stop - 1]},
        "runs": runs,
    }
    _provenance.write_json(_provenance.data_path("megatron_schedule.json"), payload)


if __name__ == "__main__":
    main()
