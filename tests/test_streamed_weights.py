"""The weight bytes a decode iteration streams (engine/inference.py `streamed_weight_bytes`), which the
serving time of both engines (serving.py's TPOT, serving_cost.py's iteration) divides by the bandwidth.

Independent source: the models' exact parameter counts as transformers instantiates them
(validation/data/params.json: Llama 3.1 8B 8,030,261,248 parameters with an untied 128,256 x 4,096 input
table; Gemma 2 9B 9,241,705,984 with its 256,000 x 3,584 table tied to the head) and what a forward pass does
with each tensor: the input embedding is an index lookup (torch.nn.Embedding, Megatron-LM's
VocabParallelEmbedding), one row per token, never a matrix product, so a decode does not stream it; a tied
table is the head's weight too, read whole by the logits' GEMM.
"""

from __future__ import annotations

import pytest

from conftest import compile_text

LLAMA_8B, LLAMA_TABLE = 8_030_261_248, 128_256 * 4_096
GEMMA_9B = 9_241_705_984


def streamed(project, model: str, tp: int = 1, pp: int = 1, weights: str = "bf16") -> tuple[float, float]:
    from capplan.engine.inference import inference_memory

    comp = compile_text(project, f"""
inference served {{
  model = {model}
  gpu = h100_sxm
  gpus = {tp * pp}
  weights = {weights}
  context = 2048 tokens
  parallel {{ tensor = {tp}; pipeline = {pp} }}
}}
""")
    assert not comp.diagnostics.errors, [d.message for d in comp.diagnostics.errors]
    mem = inference_memory(comp.workloads["served"], limits=False)
    return mem["weights_streamed"], mem["weights"]


def test_an_untied_input_table_is_looked_up_not_streamed(project):
    s, held = streamed(project, "llama3_1_8b")
    assert held == 2 * LLAMA_8B                      # the GPU holds every weight
    assert s == 2 * (LLAMA_8B - LLAMA_TABLE)         # 15,009,849,344 B: the head is read, the table is not


def test_a_tied_table_is_streamed_once_as_the_head(project):
    s, held = streamed(project, "gemma2_9b")
    assert s == held == 2 * GEMMA_9B


def test_pipeline_stages_stream_every_layer_once(project):
    # two stages of 16 layers: the first holds the table, the second the head; a token crosses both
    s, held = streamed(project, "llama3_1_8b", pp=2)
    assert s == pytest.approx(2 * (LLAMA_8B - LLAMA_TABLE), abs=1)
    assert held < s                                  # the first stage alone holds about half


def test_tensor_parallel_ranks_stream_their_shard(project):
    # the norms (2 x 4,096 per layer + the final 4,096) are whole on each rank; everything else is split
    s, _ = streamed(project, "llama3_1_8b", tp=2)
    norms = 32 * 2 * 4_096 + 4_096
    assert s == pytest.approx(2 * ((LLAMA_8B - LLAMA_TABLE - norms) / 2 + norms), abs=1)


def test_quantized_weights_keep_the_head_in_the_dense_format(project):
    # fp8 decoder linears (1 byte), head and norms in bf16 as ModelOpt and GPTQ/AWQ checkpoints keep them
    s, _ = streamed(project, "llama3_1_8b", weights="fp8_e4m3")
    head, norms = LLAMA_TABLE, 32 * 2 * 4_096 + 4_096
    linears = LLAMA_8B - 2 * LLAMA_TABLE - norms
    assert s == pytest.approx(linears * 1 + (head + norms) * 2, abs=1)
