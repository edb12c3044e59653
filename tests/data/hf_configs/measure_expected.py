"""Measure the ground truth for tests/test_import_hf.py: the parameters transformers instantiates.

For every *.json config in this folder (except EXPECTED.json), build the config with
``AutoConfig.for_model(model_type, **config)`` (minus the keys below), instantiate
``AutoModelForCausalLM.from_config(config)`` on the ``meta`` device (no memory, no
download) -- ``AutoModelForSequenceClassification`` for the encoders (BERT, RoBERTa), whose
import counts the sequence classifier -- and record ``sum(p.numel() for p in model.parameters())``
(tied weights are counted once) and the class that was built.

Not run by the tests (they must not import torch). Run from the repository root with the
validation environment (see validation/README.md: torch 2.13.0 CPU, transformers 5.23.0):

    /work/.venv-val/bin/python tests/data/hf_configs/measure_expected.py

Writes tests/data/hf_configs/EXPECTED.json (sorted keys, indent 1).
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import shlex
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "EXPECTED.json")

# Dropped before instantiation, as validation/measure_params.py does.
DROP_KEYS = {
    "auto_map": "points at remote code; the in-library class is used instead",
    "quantization_config": "would make transformers swap Linear layers for quantized ones; parameters are "
    "counted on the unquantized architecture",
    "_name_or_path": "bookkeeping only",
    "architectures": "bookkeeping only (AutoModelForCausalLM picks the class from model_type)",
    "transformers_version": "bookkeeping only",
}

# Configs without a model_type (GPT-2's first config.json): the type is given here, and the test
# passes the same value to the importer (--model-type).
MODEL_TYPE_OVERRIDE = {"published_gpt2_124m.json": "gpt2"}

# Encoders: import-hf counts the *ForSequenceClassification class (pooler/classification head with
# num_labels outputs, default 2), not a language-model head.
SEQUENCE_CLASSIFIERS = {"bert", "roberta"}


def measure(path: str) -> dict:
    from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSequenceClassification

    name = os.path.basename(path)
    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    kwargs = {k: v for k, v in raw.items() if k not in DROP_KEYS}
    model_type = kwargs.pop("model_type", None) or MODEL_TYPE_OVERRIDE[name]
    cfg = AutoConfig.for_model(model_type, **kwargs)
    with torch.device("meta"):
        auto = AutoModelForSequenceClassification if model_type in SEQUENCE_CLASSIFIERS else AutoModelForCausalLM
        model = auto.from_config(cfg)
    total = sum(p.numel() for p in model.parameters())
    entry = {
        "hf_class": type(model).__name__,
        "model_type": model_type,
        "total_params": total,
        "dropped_keys": sorted(k for k in raw if k in DROP_KEYS),
        "tied": bool(model.get_output_embeddings() is not None
                     and model.get_output_embeddings().weight is model.get_input_embeddings().weight),
    }
    if name in MODEL_TYPE_OVERRIDE:
        entry["model_type_override"] = MODEL_TYPE_OVERRIDE[name]
    return entry


def main() -> None:
    import transformers

    configs = {}
    for name in sorted(os.listdir(HERE)):
        if name.endswith(".json") and name != "EXPECTED.json":
            configs[name] = measure(os.path.join(HERE, name))
            print(f"{name:40s} {configs[name]['hf_class']:24s} {configs[name]['total_params']:>18,d}", flush=True)
    payload = {
        "provenance": {
            "script": "tests/data/hf_configs/measure_expected.py",
            "command_line": " ".join(shlex.quote(a) for a in [sys.executable] + sys.argv),
            "cwd": os.getcwd(),
            "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "python_version": sys.version.split()[0],
            "torch_version": torch.__version__,
            "transformers_version": transformers.__version__,
            "platform": platform.platform(),
        },
        "method": "config = AutoConfig.for_model(model_type, **config.json minus dropped_keys); inside "
                  "`with torch.device('meta')`: model = AutoModelForCausalLM.from_config(config) "
                  "(AutoModelForSequenceClassification for bert and roberta); "
                  "total_params = sum(p.numel() for p in model.parameters()) (tied weights counted once; "
                  "buffers such as DeepSeek-V3's e_score_correction_bias are not parameters)",
        "configs": configs,
    }
    tmp = OUT + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, sort_keys=True, indent=1)
        fh.write("\n")
    os.replace(tmp, OUT)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
