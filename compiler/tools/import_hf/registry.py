"""The supported model families: one line each in FAMILIES.

To support another `model_type`, write its mapper and `Family` record in a module under
families/ (see families/llama.py for the shape) and add that record here.
"""

from __future__ import annotations

from capplan.tools.import_hf.context import Family
from capplan.tools.import_hf.families import (bert, deepseek, falcon, gemma, gpt2, llama, mixtral, nemotron_h, opt,
                                              phi3, qwen)

FAMILIES: tuple[Family, ...] = (
    llama.LLAMA,
    llama.MISTRAL,
    mixtral.MIXTRAL,
    qwen.QWEN2,
    qwen.QWEN2_MOE,
    qwen.QWEN3,
    gemma.GEMMA,
    gemma.GEMMA2,
    phi3.PHI3,
    gpt2.GPT2,
    opt.OPT,
    falcon.FALCON,
    deepseek.DEEPSEEK_V2,
    deepseek.DEEPSEEK_V3,
    bert.BERT,
    bert.ROBERTA,
    nemotron_h.NEMOTRON_H,
)

BY_MODEL_TYPE: dict[str, Family] = {f.model_type: f for f in FAMILIES}
SUPPORTED = tuple(sorted(BY_MODEL_TYPE))
# counted class name -> model_type, for configs without model_type (e.g. GPT-2's first config.json)
ARCHITECTURES: dict[str, str] = {f.hf_class: f.model_type for f in FAMILIES}
