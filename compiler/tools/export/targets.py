"""The `capplan export` targets and the kind of plan each exports.

Kept apart from the exporters so that capplan.cli can list the choices of `--to` without loading them.
"""

from __future__ import annotations

TARGETS: dict[str, str] = {"megatron": "training", "deepspeed": "training", "torchrun": "training",
                           "vllm": "inference"}
