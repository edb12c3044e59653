"""Measure what a norm and the projections reading it save for backward: PyTorch's LayerNorm and RMSNorm
against llm-foundry's low-precision ones (real CPU tensors).

llm-foundry's MPT models default to `norm_type: low_precision_layernorm` (llmfoundry/models/mpt/
configuration_mpt.py). Its LPLayerNorm (llmfoundry/models/layers/norm.py, read at mosaicml/llm-foundry@8c8dd48f)
casts the input, weight and bias to the autocast dtype when autocast is on and runs layer_norm with autocast
off, returning the low-precision output; LPRMSNorm does the same with rms_norm and casts the output back to
the input's dtype. The two classes are written out below from that description (no llm-foundry code is
imported or copied); torch's own modules are the reference.

Each case: a [batch, seq, hidden] fp32 input that requires grad (the residual stream of fp32 weights), one
norm, then `readers` bias-free Linear projections of its output, summed; one forward under
torch.autograd.graph.saved_tensors_hooks records every saved tensor; storages are de-duplicated, and the
projection weights (and autocast's bf16 copies of them) are left out: what remains is the per-token activation
memory the engine's `_norm` + `_norm_output` (engine/activations_hf.py) count. Recipes: fp32 weights under
bf16 autocast (the residual stream fp32), and bf16 weights with no autocast.

Run from the repository root:

    /work/.venv-val/bin/python validation/measure_low_precision_norm.py

Writes validation/data/low_precision_norm.json (sorted keys, indent 1).
"""

from __future__ import annotations

import torch

import _provenance

SCRIPT = "validation/measure_low_precision_norm.py"
BATCH, SEQ, HIDDEN = 2, 96, 128   # 192 tokens: no activation has a weight's 128 x 128 shape
READERS = (1, 2, 3)


def _autocast_dtype(t: torch.Tensor) -> torch.Tensor:
    return t.to(torch.get_autocast_dtype(t.device.type)) if torch.is_autocast_enabled(t.device.type) else t


class LowPrecisionLayerNorm(torch.nn.LayerNorm):
    """llm-foundry's LPLayerNorm, as described in its norm.py."""

    def forward(self, x):
        low = _autocast_dtype(x)   # cast while autocast is on, then normalise with it off
        w = _autocast_dtype(self.weight) if self.weight is not None else None
        b = _autocast_dtype(self.bias) if self.bias is not None else None
        with torch.autocast(x.device.type, enabled=False):
            return torch.nn.functional.layer_norm(low, self.normalized_shape, w, b, self.eps)


class LowPrecisionRMSNorm(torch.nn.RMSNorm):
    """llm-foundry's LPRMSNorm, as described in its norm.py (output cast back to the input's dtype)."""

    def forward(self, x):
        low = _autocast_dtype(x)
        w = _autocast_dtype(self.weight) if self.weight is not None else None
        with torch.autocast(x.device.type, enabled=False):
            return torch.nn.functional.rms_norm(low, self.normalized_shape, w, self.eps).to(x.dtype)


NORMS = {"layernorm": torch.nn.LayerNorm, "low_precision_layernorm": LowPrecisionLayerNorm,
         "rmsnorm": torch.nn.RMSNorm, "low_precision_rmsnorm": LowPrecisionRMSNorm}
RECIPES = {"fp32_weights_autocast_bf16": (torch.float32, True), "bf16_weights": (torch.bfloat16, False)}


def measure(norm: str, recipe: str, readers: int) -> dict:
    dtype, autocast = RECIPES[recipe]
    torch.manual_seed(0)
    mod = NORMS[norm](HIDDEN).to(dtype)
    projections = [torch.nn.Linear(HIDDEN, HIDDEN, bias=False).to(dtype) for _ in range(readers)]
    params = {p.untyped_storage().data_ptr() for m in [mod, *projections] for p in m.parameters()}
    weight_shapes = {tuple(p.shape) for m in projections for p in m.parameters()}
    x = torch.randn(BATCH, SEQ, HIDDEN, dtype=dtype, requires_grad=True)
    saved: dict[int, tuple[int, str, tuple[int, ...]]] = {}

    def pack(t: torch.Tensor):
        ptr = t.untyped_storage().data_ptr()
        if ptr not in params and tuple(t.shape) not in weight_shapes:   # weights and their autocast copies
            saved[ptr] = (t.untyped_storage().nbytes(), str(t.dtype).replace("torch.", ""), tuple(t.shape))
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
            y = mod(x)
            out = sum(p(y) for p in projections)
    out.float().sum().backward()
    x_ptr = x.untyped_storage().data_ptr()
    tokens = BATCH * SEQ
    rows = sorted(saved.values(), key=lambda r: (-r[0], r[1]))
    return {"norm": norm, "recipe": recipe, "readers": readers, "tokens": tokens, "hidden": HIDDEN,
            "input_saved_as_is": x_ptr in saved,
            "bytes_per_token": sum(r[0] for r in rows) / tokens,
            "saved": [{"bytes": r[0], "dtype": r[1], "shape": list(r[2])} for r in rows]}


def main() -> None:
    runs = [measure(n, r, k) for n in NORMS for r in RECIPES for k in READERS]
    _provenance.write_json(_provenance.data_path("low_precision_norm.json"), {
        "provenance": _provenance.provenance(SCRIPT),
        "method": {"batch": BATCH, "seq": SEQ, "hidden": HIDDEN,
                   "measurement": "bytes of every tensor saved for backward by a norm and `readers` bias-free "
                                  "Linear projections of its output, storages de-duplicated, projection weights "
                                  "and their autocast copies excluded; the input (the residual stream) counts "
                                  "when the norm saves it as it is",
                   "llm_foundry": "mosaicml/llm-foundry@8c8dd48f llmfoundry/models/layers/norm.py (LPLayerNorm, "
                                  "LPRMSNorm), described, not imported"},
        "runs": runs})


if __name__ == "__main__":
    main()
