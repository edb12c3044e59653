"""Bytes per element of each numeric format, with group-quantization overhead."""

from __future__ import annotations

from capplan.check.values import Format

BITS = {"fp64": 64, "fp32": 32, "tf32": 32, "bf16": 16, "fp16": 16, "fp8": 8, "fp8_e4m3": 8,
        "fp8_e5m2": 8, "int8": 8, "int4": 4, "nf4": 4, "fp4": 4, "none": 0}

SOURCE = ("group quantization: one scale (and zero point) per `group` elements, as GPTQ/AWQ store "
          "them; nf4: bitsandbytes blocksize 64 with an fp32 absmax per block, double quantization "
          "8-bit absmax with an fp32 scale per 256 blocks (Dettmers et al. 2023, QLoRA, sec. 2)")


def bits(fmt: Format | str | None) -> float:
    """Average storage bits per element, scales and zero points included."""
    if fmt is None:
        return 0.0
    if isinstance(fmt, str):
        return float(BITS[fmt])
    value = float(BITS[fmt.name])
    if not fmt.group:
        return value
    scale = fmt.scale or ("fp32" if fmt.name == "nf4" else "fp16")
    if fmt.double_quant:
        # absmax quantized to 8 bits per block, plus one fp32 constant per 256 blocks
        overhead = 8 / fmt.group + 32 / (fmt.group * 256)
    else:
        overhead = BITS[scale] / fmt.group
    if fmt.zero_point:
        overhead += value / fmt.group
    return value + overhead


def nbytes(fmt: Format | str | None) -> float:
    return bits(fmt) / 8


def name(fmt: Format | str | None) -> str:
    if fmt is None:
        return "none"
    return fmt if isinstance(fmt, str) else fmt.label
