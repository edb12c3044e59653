"""Mamba-2 layers (Dao & Gu 2024, "Transformers are SSMs", arXiv:2405.21060): parameters, FLOPs,
saved activations and the recurrent state that replaces a KV cache.

Parameters follow transformers' Mamba2Mixer / NemotronHMamba2Mixer: in_proj (hidden ->
2*inner + 2*groups*state + heads), a depthwise conv1d over the inner + 2*groups*state channels
(kernel weights and a bias), per-head dt_bias, A_log and D, a gated RMSNorm over inner, out_proj
(inner -> hidden), and the layer's pre-norm. Tensor parallelism follows Megatron-LM's MambaMixer:
in_proj column-parallel, conv, per-head parameters and the norm split with the heads, out_proj
row-parallel.
"""

from __future__ import annotations

from capplan.engine.blocks.base import Context, LayerFlops, LayerParams, Part, Saved, linear
from capplan.ir.blocks import Mamba2Layer

SOURCE = ("Dao & Gu 2024 (arXiv:2405.21060) sec. 7 (Mamba-2 block) and the SSD chunked scan of "
          "mamba_ssm's mamba_chunk_scan_combined; transformers Mamba2Mixer / NemotronHMamba2Mixer shapes")


def params(layer: Mamba2Layer, h: int) -> LayerParams:
    s = layer.mixer
    in_proj = linear(h, 2 * s.inner + 2 * s.groups * s.state + s.heads, s.bias, True)
    conv = Part(s.conv_channels * s.conv_kernel + (s.conv_channels if s.conv_bias else 0), 0)
    per_head = Part(3 * s.heads, 0)                      # dt_bias, A_log, D
    gated_norm = Part(s.inner, 0)
    out_proj = linear(s.inner, h, s.bias, False)
    norms = Part(0, h * layer.norm.width_factor)
    return LayerParams(mixer=in_proj + conv + per_head + gated_norm + out_proj, norms=norms)


def flops(layer: Mamba2Layer, lp: LayerParams) -> LayerFlops:
    """Forward FLOPs per token: the projections (2 x their parameters), the depthwise conv, and the
    SSD scan: within a chunk the C.B products and their use on x (causal: half the chunk on
    average), across chunks the state update and its read-out (2 x inner x state each)."""
    s = layer.mixer
    projections = lp.mixer.total - s.conv_channels * s.conv_kernel - 3 * s.heads - s.inner
    conv = 2 * s.conv_channels * s.conv_kernel
    scan = 2 * (s.chunk / 2) * (s.groups * s.state + s.inner) + 4 * s.inner * s.state
    return LayerFlops(projections, 0.0, conv + scan)


def state_bytes(layer: Mamba2Layer, element_bytes: float, tp: int) -> float:
    """Per sequence, the recurrent state a server keeps instead of a KV cache (vLLM MambaMixer2):
    the conv state (kernel - 1 steps of the conv channels) and the SSM state heads x head_dim x state,
    split over tensor-parallel ranks with the heads. It does not grow with the context."""
    s = layer.mixer
    conv = (s.conv_kernel - 1) * s.conv_channels
    ssm = s.heads * s.head_dim * s.state
    return (conv + ssm) * element_bytes / tp


def saved(layer: Mamba2Layer, h: int, c: Context) -> list[Saved]:
    """Tensors one Mamba-2 layer keeps for backward with the fused kernels (mamba_ssm): the pre-norm
    input and statistics, in_proj's input and output (z, x, B, C, dt), the conv output, dt after
    softplus (fp32), the chunk states (fp32), the scan output and the gated norm's input and
    statistics, and out_proj's input."""
    tokens = c.seq * c.batch
    s = layer.mixer
    t, beta = c.tp, c.beta
    sp_div = t if c.sp else 1
    zxbcdt = 2 * s.inner + 2 * s.groups * s.state + s.heads
    chunks = max(1.0, c.seq / s.chunk)
    stats = 2 if layer.norm.kind == "layernorm" else 1
    return [
        Saved("norm input", tokens * h * beta / sp_div, "s*b*h*beta"),
        Saved("norm statistics", tokens * stats * 4 / sp_div, "s*b*4"),
        Saved("in_proj input (norm output)", tokens * h * beta / sp_div, "s*b*h*beta"),
        Saved("in_proj output (z, x, B, C, dt)", tokens * zxbcdt * beta / t,
              "s*b*(2*inner + 2*groups*state + heads)*beta/t"),
        Saved("conv1d output (x, B, C)", tokens * s.conv_channels * beta / t, "s*b*(inner + 2*groups*state)*beta/t"),
        Saved("dt after softplus (fp32)", tokens * s.heads * 4 / t, "s*b*heads*4/t"),
        Saved("chunk states (fp32)", c.batch * chunks * s.heads * s.head_dim * s.state * 4 / t,
              "b*(s/chunk)*heads*head_dim*state*4/t"),
        Saved("scan output (gated norm input)", tokens * s.inner * beta / t, "s*b*inner*beta/t"),
        Saved("gated norm statistics (fp32)", tokens * s.groups * 4 / t, "s*b*groups*4/t"),
        Saved("out_proj input", tokens * s.inner * beta / t, "s*b*inner*beta/t"),
    ]
