"""Measure the memory traffic of Megatron-Core's cross-entropy loss: bytes its operators read and write per
logit element, forward and backward, counted on the real code path.

Megatron-Core 0.16.1 (the PyPI wheel) computes a GPT model's loss with
`tensor_parallel.vocab_parallel_cross_entropy` (megatron/core/tensor_parallel/cross_entropy.py; unfused, the
default without --cross-entropy-loss-fusion). This script runs it forward and backward on bf16 logits of
TOKENS x VOCAB on CPU (tensor-parallel size 1, one gloo process) under a `TorchDispatchMode` that sees every
aten operator autograd runs, and adds up, for each operator, the bytes of its tensor arguments (read) and of
its results (written) whose element count is at least the logits' -- the passes over the logits; the per-token
tensors (max, sum, target) are smaller by the vocabulary and left out. In-place operators count their operand
once read and once written; an `out=` tensor is written, not read. Views move nothing, and indexing by the
target (one element per token) is not a pass over the logits: both are skipped.

capplan's `loss_traffic` constant (core/constants.py) is the bytes per logit element this gives;
tests/test_loss_and_p2p.py checks the two agree.

Run from the repository root, in the validation environment (validation/requirements.txt, plus
megatron-core==0.16.1):

    /work/.venv-val/bin/python validation/measure_loss_traffic.py

Writes validation/data/megatron_loss_traffic.json (sorted keys, indent 1).
"""

from __future__ import annotations

import os
import warnings

import torch
from torch.utils._python_dispatch import TorchDispatchMode

import _provenance

SCRIPT = "validation/measure_loss_traffic.py"
TOKENS, VOCAB = 64, 4096
VIEWS = {"view", "_unsafe_view", "unsqueeze", "squeeze", "expand", "as_strided", "t", "transpose", "alias",
         "detach", "reshape", "slice", "select", "permute"}
# indexing by the target: one element per token (the predicted logit), not a pass over the logits
GATHERS = {"index", "index_put_", "index_put", "gather", "scatter", "scatter_"}


class Traffic(TorchDispatchMode):
    """Bytes read and written by the operators that touch a tensor of at least `big` elements."""

    def __init__(self, big: int):
        super().__init__()
        self.big, self.ops = big, []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        name = func.overloadpacket.__name__
        if name in VIEWS:
            return out

        def tensors(x):
            if isinstance(x, torch.Tensor):
                return [x]
            if isinstance(x, (list, tuple)):
                return [t for y in x for t in tensors(y)]
            return []

        if name in GATHERS:
            return out
        ins = [t for a in list(args) + [v for k, v in kwargs.items() if k != "out"] for t in tensors(a)]
        outs = tensors(out)
        read = sum(t.numel() * t.element_size() for t in ins if t.numel() >= self.big)
        written = sum(t.numel() * t.element_size() for t in outs if t.numel() >= self.big)
        if read or written:
            self.ops.append({"op": str(func), "read": read, "written": written})
        return out


def main() -> None:
    warnings.filterwarnings("ignore")
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29518")
    torch.distributed.init_process_group("gloo", rank=0, world_size=1)
    import megatron.core
    from megatron.core import parallel_state, tensor_parallel

    parallel_state.initialize_model_parallel(1, 1)
    torch.manual_seed(0)
    logits = torch.randn(TOKENS, 1, VOCAB, dtype=torch.bfloat16, requires_grad=True)
    target = torch.randint(0, VOCAB, (TOKENS, 1))
    phases = {}
    for phase in ("forward", "backward"):
        with Traffic(TOKENS * VOCAB) as traffic:
            if phase == "forward":
                loss = tensor_parallel.vocab_parallel_cross_entropy(logits, target)
            else:
                loss.sum().backward()
        phases[phase] = traffic.ops
    per_element = {p: sum(o["read"] + o["written"] for o in ops) / (TOKENS * VOCAB) for p, ops in phases.items()}
    payload = {
        "provenance": _provenance.provenance(SCRIPT),
        "megatron_core": megatron.core.__version__,
        "shape": {"tokens": TOKENS, "vocab": VOCAB, "logits_dtype": "bf16", "tensor_parallel": 1},
        "operators": phases,
        "bytes_per_logit": {**per_element, "total": sum(per_element.values())},
    }
    _provenance.write_json(_provenance.data_path("megatron_loss_traffic.json"), payload)


if __name__ == "__main__":
    main()
